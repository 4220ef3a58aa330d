"""Credentials and sessions, kept in memory: the app under test has one account.

The same session token works as a cookie (the pages) and as a bearer token
(the API), so a test can log in through the API and open a page already
signed in, which is much faster than typing into the login form every time.
"""

import hmac
import secrets
import threading

from .settings import AppSettings


class SessionStore:
    """Opaque random tokens mapped to the email that signed in."""

    def __init__(self) -> None:
        self._emails: dict[str, str] = {}
        # The server answers requests on several threads; the dict is shared.
        self._lock = threading.Lock()

    def open(self, email: str) -> str:
        """Start a session and return its token (256 random bits)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._emails[token] = email
        return token

    def email_for(self, token: str | None) -> str | None:
        """The email of the session ``token`` names, or None when there is none."""
        if not token:
            return None
        with self._lock:
            return self._emails.get(token)

    def close(self, token: str | None) -> None:
        """End the session, if there is one."""
        with self._lock:
            self._emails.pop(token or "", None)


def credentials_match(settings: AppSettings, email: str, password: str) -> bool:
    """Whether the pair is the demo account's, compared in constant time."""
    email_ok = hmac.compare_digest(email.encode(), settings.demo_email.encode())
    password_ok = hmac.compare_digest(password.encode(), settings.demo_password.encode())
    return email_ok and password_ok
