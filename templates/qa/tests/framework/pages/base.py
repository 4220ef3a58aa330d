"""What every page shares: the navigation, which collapses on narrow screens."""

from playwright.sync_api import Locator, Page


class BasePage:
    """A page of the app; subclasses set ``path``."""

    path = "/"

    def __init__(self, page: Page) -> None:
        self.page = page

    def open(self) -> None:
        """Go to the page (relative to the context's ``base_url``)."""
        self.page.goto(self.path)

    def heading(self) -> Locator:
        """The page's main heading."""
        return self.page.get_by_role("heading", level=1)

    def navigation(self) -> Locator:
        """The main navigation, its menu opened first when the screen is narrow."""
        navigation = self.page.get_by_role("navigation", name="Main")
        menu_button = navigation.get_by_role("button", name="Menu")
        if menu_button.is_visible():
            menu_button.click()
        return navigation

    def navigate(self, link: str) -> None:
        """Follow a link of the main navigation."""
        self.navigation().get_by_role("link", name=link, exact=True).click()

    def log_out(self) -> None:
        """Press the navigation's "Log out" button."""
        self.navigation().get_by_role("button", name="Log out").click()

    def signed_in_as(self) -> Locator:
        """The email the header shows once signed in."""
        return self.page.get_by_test_id("signed-in-as")
