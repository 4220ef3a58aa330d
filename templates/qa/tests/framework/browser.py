"""Which Chromium Playwright drives.

In order: ``CHROMIUM_EXECUTABLE`` when set (it must exist); else a Chromium
installed on the system (Debian's ``chromium`` package, ``chromium-browser``,
Google Chrome); else None, which makes Playwright use its own build, the one
``playwright install chromium`` downloads.
"""

import os
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

SYSTEM_BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class BrowserNotFoundError(Exception):
    """``CHROMIUM_EXECUTABLE`` names a file that does not exist."""


def chromium_executable(
    environ: Mapping[str, str] = os.environ,
    which: Callable[[str], str | None] = shutil.which,
) -> str | None:
    """The Chromium to launch, or None for Playwright's downloaded one."""
    configured = environ.get("CHROMIUM_EXECUTABLE")
    if configured:
        if not Path(configured).is_file():
            raise BrowserNotFoundError(f"CHROMIUM_EXECUTABLE={configured} is not a file")
        return configured
    for name in SYSTEM_BROWSERS:
        found = which(name)
        if found:
            return found
    return None
