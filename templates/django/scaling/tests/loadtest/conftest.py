"""The load-test runner's tests start the real app: on a SQLite file of their own."""

from pathlib import Path

import pytest


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A database for the app `serve` starts (it migrates it first, as in development)."""
    return f"sqlite:///{tmp_path / 'app.db'}"
