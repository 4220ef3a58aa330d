"""The feedback form, with its server-side validation."""

from playwright.sync_api import Locator

from .base import BasePage


class FeedbackPage(BasePage):
    """``/feedback``."""

    path = "/feedback"

    def submit(self, *, name: str, email: str, rating: str, message: str) -> None:
        """Fill in every field (``rating`` is the option's label) and send."""
        self.page.get_by_label("Name").fill(name)
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Rating").select_option(label=rating)
        self.page.get_by_label("Message").fill(message)
        self.page.get_by_role("button", name="Send feedback").click()

    def field_error(self, field: str) -> Locator:
        """The message shown beside ``field``."""
        return self.page.get_by_test_id(f"{field}-error")

    def summary(self) -> Locator:
        """The alert that counts the invalid fields."""
        return self.page.get_by_role("alert")

    def confirmation(self) -> Locator:
        """The status line of the thank-you page."""
        return self.page.get_by_role("status")
