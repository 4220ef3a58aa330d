"""Metrics and the evaluation chart.

- **ROC AUC**: the chance that a random churner gets a higher score than a
  random stayer. 0.5 is guessing, 1.0 is a perfect ranking. It ignores the
  threshold, which suits a model whose scores decide who gets a call first.
- **Accuracy** at a 0.5 threshold: the share of right answers. Misleading when
  classes are unbalanced (where one in ten churns, "stays" for everyone is 90% right).
- **F1**: the balance of precision (of those flagged, how many churn) and recall
  (of those who churn, how many are flagged), for the churners.
- **Log loss** and **Brier score**: how good the probabilities themselves are;
  lower is better, and confident wrong answers cost the most.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import (
    accuracy_score,
    brier_score_loss,
    f1_score,
    log_loss,
    roc_auc_score,
    roc_curve,
)

THRESHOLD = 0.5


@dataclass(frozen=True)
class Metrics:
    """How well probabilities match the true labels."""

    roc_auc: float
    accuracy: float
    f1: float
    log_loss: float
    brier: float


def measure(labels: np.ndarray, probabilities: np.ndarray) -> Metrics:
    """Every metric of `probabilities` against the 0/1 `labels`."""
    predicted = (probabilities >= THRESHOLD).astype(int)
    return Metrics(
        roc_auc=float(roc_auc_score(labels, probabilities)),
        accuracy=float(accuracy_score(labels, predicted)),
        f1=float(f1_score(labels, predicted, zero_division=0)),
        log_loss=float(log_loss(labels, probabilities, labels=[0, 1])),
        brier=float(brier_score_loss(labels, probabilities)),
    )


def write_metrics(path: Path, metrics: dict[str, object]) -> None:
    """Write metrics as sorted, indented JSON: easy to read and to diff between versions."""
    path.write_text(json.dumps(metrics, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def metrics_dict(metrics: Metrics) -> dict[str, float]:
    """The metrics as a plain dictionary, for JSON."""
    return asdict(metrics)


def plot_roc(
    path: Path,
    labels: np.ndarray,
    curves: dict[str, np.ndarray],
) -> None:
    """Save a PNG of the ROC curve of each named set of probabilities.

    `Figure` is used directly instead of `pyplot`: no global state, no GUI, and
    the PNG is drawn by matplotlib's Agg renderer on any headless server or CI.
    """
    figure = Figure(figsize=(5, 5), dpi=100)
    axes = figure.add_subplot()
    for name, probabilities in curves.items():
        false_positives, true_positives, _ = roc_curve(labels, probabilities)
        auc = roc_auc_score(labels, probabilities)
        axes.plot(false_positives, true_positives, label=f"{name} (AUC {auc:.3f})")
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance")
    axes.set_xlabel("False positive rate")
    axes.set_ylabel("True positive rate")
    axes.set_title("ROC curve on the held-out customers")
    axes.legend(loc="lower right")
    figure.savefig(path, format="png")
