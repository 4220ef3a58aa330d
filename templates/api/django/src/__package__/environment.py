"""Typed reads of the environment, for the settings module.

Django settings are plain module constants; this turns the environment's
strings into the types those constants need, and fails the start with a clear
message when a value is wrong, instead of failing later on a request.
A `.env` file fills in what the real environment leaves unset (never the
other way round), so a deployment's variables always win.
"""

import os
from collections.abc import Mapping, MutableMapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PLACEHOLDER_SECRET_KEYS = frozenset({"", "change-me"})
MIN_SECRET_KEY_LENGTH = 32
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def load_dotenv(path: Path, environ: MutableMapping[str, str] = os.environ) -> None:
    """Copy `KEY=value` lines of `path` into `environ`, keeping what is already set."""
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        environ.setdefault(key.strip(), value.strip().strip("\"'"))


class Environment:
    """Typed getters over a mapping of variables (the process environment by default)."""

    def __init__(self, values: Mapping[str, str] = os.environ) -> None:
        self._values = values

    def text(self, name: str, default: str) -> str:
        """The variable as text, or `default` when unset."""
        return self._values.get(name, default)

    def choice(self, name: str, choices: tuple[str, ...], default: str) -> str:
        """One of `choices`; anything else stops the start."""
        value = self.text(name, default)
        if value not in choices:
            message = f"{name} must be one of {', '.join(choices)}, not {value!r}"
            raise ImproperlyConfigured(message)
        return value

    def integer(self, name: str, default: int) -> int:
        """A whole number."""
        value = self.text(name, str(default))
        try:
            return int(value)
        except ValueError:
            message = f"{name} must be a whole number, not {value!r}"
            raise ImproperlyConfigured(message) from None

    def boolean(self, name: str, *, default: bool) -> bool:
        """`true`/`false` (also `1`/`0`, `yes`/`no`)."""
        value = self.text(name, "true" if default else "false").lower()
        if value in {"true", "1", "yes"}:
            return True
        if value in {"false", "0", "no"}:
            return False
        message = f"{name} must be true or false, not {value!r}"
        raise ImproperlyConfigured(message)

    def csv(self, name: str, default: str) -> list[str]:
        """A comma-separated list, without empty items."""
        return [item.strip() for item in self.text(name, default).split(",") if item.strip()]

    def database_url(self, name: str, default: str) -> str:
        """A database URL, SQLAlchemy's driver suffix dropped (`postgresql+psycopg://`).

        Compose files, CI services and platforms are often shared with SQLAlchemy
        apps, whose URLs name the driver; Django picks its own, so only the scheme counts.
        """
        scheme, separator, rest = self.text(name, default).partition("://")
        return f"{scheme.split('+', 1)[0]}{separator}{rest}"


def checked_secret_key(key: str, *, app_env: str, host: str) -> str:
    """`key`, unless it is a placeholder or short where it matters.

    Django signs sessions, CSRF tokens and password-reset links with it: anyone
    who knows it can forge them. In production, or when the server listens on
    anything but loopback, a placeholder or a short key stops the start.
    """
    exposed = app_env == "production" or host not in LOOPBACK_HOSTS
    if exposed and (key in PLACEHOLDER_SECRET_KEYS or len(key) < MIN_SECRET_KEY_LENGTH):
        message = (
            f"SECRET_KEY must be a random value of at least {MIN_SECRET_KEY_LENGTH} characters"
            " in production and on a non-loopback HOST"
        )
        raise ImproperlyConfigured(message)
    return key or "development-only-insecure-key"
