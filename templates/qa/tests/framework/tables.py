"""Test data kept in tables (CSV files) beside the tests, one row per case.

A table lets someone who does not write Python add a case, and shows every
case of a rule side by side, so a missing one stands out.
"""

import csv
from pathlib import Path


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with a header line, as dicts; ``#`` starts a comment line."""
    with path.open(newline="", encoding="utf-8") as file:
        lines = [line for line in file if not line.startswith("#")]
    return list(csv.DictReader(lines))
