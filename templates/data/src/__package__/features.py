"""Feature engineering with whole-column operations.

`add_features` never loops over rows in Python. A Python loop pays for the
interpreter on every row (boxing each number into an object, a dictionary
lookup per column); a NumPy expression runs one compiled loop over contiguous
memory. On ten thousand rows that is roughly a hundred times faster, and the
gap grows with the data: tests/data/test_features.py measures it against a
row-by-row version that computes exactly the same values.

The function is stateless (it learns nothing from the data), so it runs inside
the model's Pipeline: training, batch scoring and the service all compute
features with this one function, and cannot drift apart.
"""

import numpy as np
import pandas as pd

NEW_CUSTOMER_MONTHS = 6
ENGINEERED_COLUMNS = ("log_tenure", "calls_per_year", "new_customer")


def add_features(frame: pd.DataFrame) -> pd.DataFrame:
    """Return `frame` with the engineered columns added (the input is not changed)."""
    tenure = frame["tenure_months"].to_numpy(dtype="float64")
    calls = frame["support_calls"].to_numpy(dtype="float64")
    enriched = frame.copy()
    # Tenure's effect flattens out: the step from 1 to 12 months matters more than 60 to 72.
    enriched["log_tenure"] = np.log1p(tenure)
    # Calls per year of tenure; a customer in their first month counts as one month.
    enriched["calls_per_year"] = calls / np.maximum(tenure, 1.0) * 12.0
    enriched["new_customer"] = (tenure < NEW_CUSTOMER_MONTHS).astype("int64")
    return enriched
