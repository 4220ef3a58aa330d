"""Settings of the app under test, read from the environment.

The demo account's password has no default: a server started without
``QA_DEMO_PASSWORD`` makes a random one (and prints it), so no known password
ever guards a running instance.
"""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_EMAIL = "demo@example.com"
DEFAULT_WIDGET_DELAY = 1.0


@dataclass(frozen=True)
class AppSettings:
    """What the app needs to know at start.

    Attributes:
        demo_email: The one account's email.
        demo_password: The one account's password.
        widget_delay: Seconds the statistics endpoint waits before it answers,
            so the dashboard's widget loads slowly, like a real report would.
    """

    demo_email: str
    demo_password: str
    widget_delay: float = DEFAULT_WIDGET_DELAY

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "AppSettings":
        """Read ``QA_DEMO_EMAIL``, ``QA_DEMO_PASSWORD`` and ``QA_WIDGET_DELAY``."""
        password = environ.get("QA_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        return cls(
            demo_email=environ.get("QA_DEMO_EMAIL", DEFAULT_EMAIL),
            demo_password=password,
            widget_delay=float(environ.get("QA_WIDGET_DELAY", DEFAULT_WIDGET_DELAY)),
        )
