"""The training schema: each column's dtype and rules, checked on whole columns.

Every table that reaches the model passes through `validate`: the training
data, a batch file to score and each request the service answers. A cell that
breaks a rule makes its row *rejected*, and every rejection is reported (row,
column, rule, value) instead of being dropped silently: a pipeline that quietly
loses 5% of its rows trains on a different population than the one it serves.

Each rule is a boolean mask over a whole column (vectorised, see features.py),
so checking a million rows costs about as much as a few NumPy operations. The
report is built only from the masks that found something: a clean batch (the
common case, and every request the service answers) makes no report frames at
all, which keeps validating a small batch within a millisecond or two.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

ID_COLUMN = "customer_id"
LABEL_COLUMN = "churned"
ID_PATTERN = r"^C\d{6}$"
CONTRACTS = ("monthly", "annual", "two_year")
REGIONS = ("north", "south", "east", "west")


@dataclass(frozen=True)
class NumberRule:
    """A numeric column: integer or float, within [minimum, maximum]."""

    column: str
    minimum: float
    maximum: float
    integer: bool


@dataclass(frozen=True)
class CategoryRule:
    """A text column whose values come from a fixed set."""

    column: str
    categories: tuple[str, ...]


NUMBER_RULES = (
    NumberRule("tenure_months", minimum=0, maximum=120, integer=True),
    NumberRule("monthly_charges", minimum=0.01, maximum=1000.0, integer=False),
    NumberRule("support_calls", minimum=0, maximum=50, integer=True),
)
CATEGORY_RULES = (
    CategoryRule("contract", CONTRACTS),
    CategoryRule("region", REGIONS),
)
RULES_BY_COLUMN = {rule.column: rule for rule in (*NUMBER_RULES, *CATEGORY_RULES)}
NUMBER_COLUMNS = tuple(rule.column for rule in NUMBER_RULES)
CATEGORY_COLUMNS = tuple(rule.column for rule in CATEGORY_RULES)
FEATURE_COLUMNS = (*NUMBER_COLUMNS, *CATEGORY_COLUMNS)
PROBLEM_COLUMNS = ["row", "column", "rule", "value"]


@dataclass(frozen=True)
class Validated:
    """Rows that meet every rule, converted to their dtypes, and a report of the others."""

    valid: pd.DataFrame
    problems: pd.DataFrame

    @property
    def rejected_rows(self) -> int:
        """How many distinct input rows were rejected."""
        return int(self.problems["row"].nunique())


def _problems(frame: pd.DataFrame, column: str, rule: str, mask: pd.Series) -> list[pd.DataFrame]:
    """One report line per row where `mask` is true; no frame at all when it is true nowhere.

    Building a DataFrame costs about as much as checking a rule on a thousand
    rows, and most rules find nothing: skipping the empty ones makes `validate`
    several times faster on the small batches the service receives.
    """
    flags = mask.to_numpy(dtype=bool)
    if not flags.any():
        return []
    bad = frame.loc[flags, column]
    return [
        pd.DataFrame(
            {
                "row": bad.index.to_numpy(),
                "column": column,
                "rule": rule,
                "value": bad.astype("string").fillna("<missing>").to_numpy(),
            },
            columns=PROBLEM_COLUMNS,
        )
    ]


def _no_problems() -> pd.DataFrame:
    """The report of a table that breaks no rule: the same columns and dtypes, no rows."""
    return pd.DataFrame(
        {
            "row": pd.Series(dtype="int64"),
            "column": pd.Series(dtype="object"),
            "rule": pd.Series(dtype="object"),
            "value": pd.Series(dtype="object"),
        }
    )


def _check_number(frame: pd.DataFrame, rule: NumberRule) -> tuple[pd.Series, list[pd.DataFrame]]:
    raw = frame[rule.column]
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
    missing = raw.isna()
    not_a_number = numbers.isna() & ~missing
    present = numbers.notna()
    fractional = (
        present & (np.floor(numbers) != numbers)
        if rule.integer
        else pd.Series(data=False, index=frame.index)
    )
    out_of_range = present & ((numbers < rule.minimum) | (numbers > rule.maximum))
    reports = [
        *_problems(frame, rule.column, "required", missing),
        *_problems(frame, rule.column, "number", not_a_number),
        *_problems(frame, rule.column, "integer", fractional),
        *_problems(
            frame, rule.column, f"between {rule.minimum:g} and {rule.maximum:g}", out_of_range
        ),
    ]
    return numbers, reports


def _check_category(frame: pd.DataFrame, rule: CategoryRule) -> list[pd.DataFrame]:
    raw = frame[rule.column]
    missing = raw.isna()
    unknown = ~missing & ~raw.isin(rule.categories)
    return [
        *_problems(frame, rule.column, "required", missing),
        *_problems(frame, rule.column, f"one of {', '.join(rule.categories)}", unknown),
    ]


def _check_ids(frame: pd.DataFrame) -> list[pd.DataFrame]:
    ids = frame[ID_COLUMN].astype("string")
    missing = ids.isna()
    malformed = ~missing & ~ids.str.fullmatch(ID_PATTERN).fillna(value=False).astype(bool)
    # Two different rows for one customer: which one is true? Report both.
    repeated = ~missing & ids.duplicated(keep=False)
    return [
        *_problems(frame, ID_COLUMN, "required", missing),
        *_problems(frame, ID_COLUMN, "format C000000", malformed),
        *_problems(frame, ID_COLUMN, "unique", repeated),
    ]


def _check_label(frame: pd.DataFrame) -> tuple[pd.Series, list[pd.DataFrame]]:
    raw = frame[LABEL_COLUMN]
    labels = pd.to_numeric(raw, errors="coerce")
    bad = ~labels.isin([0, 1])
    return labels, _problems(frame, LABEL_COLUMN, "0 or 1", bad)


def validate(frame: pd.DataFrame, *, with_label: bool) -> Validated:
    """Check every rule on every row; return the typed valid rows and every problem.

    `with_label` is true for training data (which must carry `churned`) and false
    for rows to score. Columns the schema does not know are dropped from the output.
    """
    expected = [ID_COLUMN, *FEATURE_COLUMNS, *([LABEL_COLUMN] if with_label else [])]
    absent = [column for column in expected if column not in frame.columns]
    if absent:
        msg = f"missing columns: {', '.join(absent)}"
        raise ValueError(msg)
    # The typed columns are collected first and made into one frame at the end:
    # adding columns to a DataFrame one by one copies its blocks each time.
    columns: dict[str, pd.Series | pd.Categorical] = {ID_COLUMN: frame[ID_COLUMN].astype("string")}
    reports = _check_ids(frame)
    for number_rule in NUMBER_RULES:
        numbers, found = _check_number(frame, number_rule)
        columns[number_rule.column] = numbers
        reports.extend(found)
    for category_rule in CATEGORY_RULES:
        reports.extend(_check_category(frame, category_rule))
        raw = frame[category_rule.column]
        # Unknown values are already reported; they become missing in the typed column.
        known = raw.where(raw.isin(category_rule.categories))
        columns[category_rule.column] = pd.Categorical(known, categories=category_rule.categories)
    if with_label:
        labels, found = _check_label(frame)
        columns[LABEL_COLUMN] = labels
        reports.extend(found)
    typed = pd.DataFrame(columns, index=frame.index)
    problems = (
        pd.concat(reports, ignore_index=True).sort_values(["row", "column"], kind="stable")
        if reports
        else _no_problems()
    )
    valid = typed.loc[~typed.index.isin(problems["row"])]
    integer_columns = {rule.column: "int64" for rule in NUMBER_RULES if rule.integer}
    if with_label:
        integer_columns[LABEL_COLUMN] = "int64"
    return Validated(valid=valid.astype(integer_columns), problems=problems.reset_index(drop=True))
