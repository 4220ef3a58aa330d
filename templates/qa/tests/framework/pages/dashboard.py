"""The dashboard and its slow statistics widget."""

from playwright.sync_api import Locator

from .base import BasePage


class DashboardPage(BasePage):
    """``/dashboard``."""

    path = "/dashboard"

    def stats_widget(self) -> Locator:
        """The widget, ``aria-busy`` until its data arrived."""
        return self.page.get_by_test_id("stats-widget")

    def stats_text(self) -> Locator:
        """The widget's text: a placeholder first, the numbers later."""
        return self.page.get_by_test_id("stats-body")
