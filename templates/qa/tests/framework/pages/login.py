"""The login form."""

from playwright.sync_api import Locator

from ..environments import Credentials
from .base import BasePage


class LoginPage(BasePage):
    """``/login``."""

    path = "/login"

    def sign_in(self, credentials: Credentials) -> None:
        """Fill in the form and submit it."""
        self.page.get_by_label("Email").fill(credentials.email)
        self.page.get_by_label("Password").fill(credentials.password)
        self.page.get_by_role("button", name="Log in").click()

    def error(self) -> Locator:
        """The alert a failed sign-in shows."""
        return self.page.get_by_role("alert")
