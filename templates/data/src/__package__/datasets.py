"""Reading and writing tables: CSV for people and spreadsheets, Parquet for pipelines.

CSV stores no types: every cell is text, and pandas *guesses* a type per
column, so one stray "n/a" turns a column of numbers into strings. We never let
it guess: a CSV is read as text, and the schema (schema.py) converts each column
to its declared dtype, reporting the cells that do not convert. Parquet stores
each column's type with the data (and is compressed and columnar, so reading a
few columns of a big file is fast); it goes through the same validation.
"""

from pathlib import Path

import pandas as pd

SUPPORTED_SUFFIXES = (".csv", ".parquet")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        msg = f"{path}: unsupported file type {suffix!r} (use {' or '.join(SUPPORTED_SUFFIXES)})"
        raise ValueError(msg)
    return suffix


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV (every column as text, empty cells as missing) or a Parquet file."""
    if _suffix(path) == ".csv":
        return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    return pd.read_parquet(path, engine="pyarrow")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write `frame` as CSV or Parquet, chosen by the file's suffix, creating its folder."""
    suffix = _suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, engine="pyarrow", index=False)
