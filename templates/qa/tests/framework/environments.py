"""Which app the tests run against, chosen by settings rather than by editing tests.

``QA_ENV=local`` (the default) starts the app in the test process on a free
port. Any other name (``staging``, say) points at a server already running:
``QA_BASE_URL`` says where, ``QA_EMAIL`` and ``QA_PASSWORD`` how to sign in.
"""

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

LOCAL = "local"


class EnvironmentConfigError(Exception):
    """The settings do not describe an environment the tests can run against."""


@dataclass(frozen=True)
class Credentials:
    """An account of the environment."""

    email: str
    password: str


@dataclass(frozen=True)
class Environment:
    """Where the app under test is and how to sign in to it.

    Attributes:
        name: ``local`` or the name of a deployed environment.
        base_url: The deployed app's URL; None for ``local``, whose server the tests start.
        credentials: The account the tests sign in with.
    """

    name: str
    base_url: str | None
    credentials: Credentials

    @property
    def is_local(self) -> bool:
        """Whether the tests start the app themselves."""
        return self.base_url is None


def environment_from(environ: Mapping[str, str] = os.environ) -> Environment:
    """The environment the ``QA_*`` variables describe."""
    name = environ.get("QA_ENV", LOCAL)
    if name == LOCAL:
        # A fresh password for each run: the local server is started with it.
        return Environment(LOCAL, None, Credentials("demo@example.com", secrets.token_urlsafe(12)))
    missing = [key for key in ("QA_BASE_URL", "QA_EMAIL", "QA_PASSWORD") if not environ.get(key)]
    if missing:
        raise EnvironmentConfigError(f"QA_ENV={name} needs {', '.join(missing)}")
    return Environment(
        name,
        environ["QA_BASE_URL"].rstrip("/"),
        Credentials(environ["QA_EMAIL"], environ["QA_PASSWORD"]),
    )
