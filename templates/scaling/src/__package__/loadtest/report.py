"""Read locust's statistics, compare the two runs, and write the report and its chart.

Latency is judged by percentiles, never by the average: p50 is what a typical
request waits, p95 what one request in twenty waits at least, and it is the slow
tail that users notice and that queues build up from. Throughput is requests
per second over the run, the same fixed number of users in both runs.
"""

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

TOTAL_ROW = "Aggregated"
# Locust records response times in whole milliseconds: anything quicker counts as 1 ms.
RESOLUTION_MS = 1.0


@dataclass(frozen=True)
class RequestStats:
    """The numbers of one kind of request (or of all of them) in one run."""

    name: str
    requests: int
    failures: int
    average_ms: float
    p50_ms: float
    p95_ms: float
    requests_per_second: float


@dataclass(frozen=True)
class RunStats:
    """One run: its label, every kind of request, and the total."""

    label: str
    requests: tuple[RequestStats, ...]
    total: RequestStats


def _request_stats(row: dict[str, str]) -> RequestStats:
    name = row["Name"] if row["Name"] == TOTAL_ROW else f"{row['Type']} {row['Name']}"
    return RequestStats(
        name=name,
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        average_ms=float(row["Average Response Time"]),
        p50_ms=float(row["50%"]),
        p95_ms=float(row["95%"]),
        requests_per_second=float(row["Requests/s"]),
    )


def read_stats(path: Path, label: str) -> RunStats:
    """Parse the `<prefix>_stats.csv` that `locust --csv <prefix>` writes."""
    with path.open(newline="", encoding="utf-8") as file:
        # A kind of request that was never sent has no percentiles ("N/A"): skipped.
        rows = [_request_stats(row) for row in csv.DictReader(file) if row["Request Count"] != "0"]
    totals = [row for row in rows if row.name == TOTAL_ROW]
    if len(totals) != 1:
        message = f"{path}: no {TOTAL_ROW!r} row with requests: did the run send any?"
        raise ValueError(message)
    return RunStats(
        label=label,
        requests=tuple(row for row in rows if row.name != TOTAL_ROW),
        total=totals[0],
    )


def times_faster(before_ms: float, after_ms: float) -> float:
    """How many times shorter `after_ms` is than `before_ms` (2.0: half the wait)."""
    return max(before_ms, RESOLUTION_MS) / max(after_ms, RESOLUTION_MS)


@dataclass(frozen=True)
class Comparison:
    """The same traffic with the cache off (the baseline) and on."""

    off: RunStats
    on: RunStats

    @property
    def p50_speedup(self) -> float:
        """Median latency, off divided by on."""
        return times_faster(self.off.total.p50_ms, self.on.total.p50_ms)

    @property
    def p95_speedup(self) -> float:
        """95th-percentile latency, off divided by on."""
        return times_faster(self.off.total.p95_ms, self.on.total.p95_ms)

    @property
    def throughput_gain(self) -> float:
        """Requests per second, on divided by off."""
        return self.on.total.requests_per_second / self.off.total.requests_per_second

    @property
    def cache_is_faster(self) -> bool:
        """Whether a typical request waited less and the process served more.

        The p95 is reported but not part of the verdict: over a few seconds it rests on
        a handful of requests, and the cache-on run's first second is a cold cache.
        """
        return self.p50_speedup > 1 and self.throughput_gain > 1

    @property
    def failures(self) -> int:
        """Failed requests in both runs: any at all makes the numbers suspect."""
        return self.off.total.failures + self.on.total.failures


@dataclass(frozen=True)
class RunSetup:
    """What was measured, for the report's first lines: numbers mean little without it."""

    seconds: int
    users: int
    products: int
    database: str
    cache_store: str


def _faster_or_slower(speedup: float) -> str:
    return f"{speedup:.1f}x faster" if speedup >= 1 else f"{1 / speedup:.1f}x slower"


def headline(comparison: Comparison) -> str:
    """One sentence: by how much the cache made the app faster (or did not)."""
    off, on = comparison.off.total, comparison.on.total
    numbers = (
        f"median latency {off.p50_ms:g} ms → {on.p50_ms:g} ms "
        f"({_faster_or_slower(comparison.p50_speedup)}), "
        f"p95 {off.p95_ms:g} ms → {on.p95_ms:g} ms "
        f"({_faster_or_slower(comparison.p95_speedup)}), throughput "
        f"{off.requests_per_second:.0f} → {on.requests_per_second:.0f} requests/s "
        f"({comparison.throughput_gain:.1f}x)"
    )
    if comparison.cache_is_faster:
        return f"With the cache on: {numbers}."
    return f"The cache did not make the app faster: {numbers}."


def capacity(comparison: Comparison, users: int, target_rps: int = 1_000) -> list[str]:
    """Capacity arithmetic from the measured numbers: Little's law and a process count."""
    lines = []
    for run in (comparison.off, comparison.on):
        total = run.total
        processes = math.ceil(target_rps / total.requests_per_second)
        # Little's law: requests in flight = throughput x the average time each one takes.
        in_flight = total.requests_per_second * total.average_ms / 1_000
        lines.append(
            f"- {run.label}: one process served {total.requests_per_second:.0f} requests/s, "
            f"so {target_rps} requests/s of this mix need {processes} such processes "
            "(on machines like this one, before any headroom). Little's law: "
            f"{total.requests_per_second:.0f}/s x {total.average_ms:.1f} ms on average "
            f"≈ {in_flight:.1f} requests in flight, of the {users} users sending them "
            "(the rest of each user's time is spent in locust itself)."
        )
    return lines


def _markdown_table(comparison: Comparison) -> list[str]:
    off, on = comparison.off.total, comparison.on.total
    return [
        "| | cache off | cache on |",
        "| --- | ---: | ---: |",
        f"| requests | {off.requests} | {on.requests} |",
        f"| failures | {off.failures} | {on.failures} |",
        f"| p50 latency (ms) | {off.p50_ms:g} | {on.p50_ms:g} |",
        f"| p95 latency (ms) | {off.p95_ms:g} | {on.p95_ms:g} |",
        f"| throughput (requests/s) | {off.requests_per_second:.1f} "
        f"| {on.requests_per_second:.1f} |",
    ]


def _per_request_table(comparison: Comparison) -> list[str]:
    on_by_name = {row.name: row for row in comparison.on.requests}
    lines = [
        "| request | p50 off | p50 on | p95 off | p95 on |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for off in comparison.off.requests:
        on = on_by_name.get(off.name)
        if on is not None:
            lines.append(
                f"| `{off.name}` | {off.p50_ms:g} | {on.p50_ms:g} "
                f"| {off.p95_ms:g} | {on.p95_ms:g} |"
            )
    return lines


def render_markdown(comparison: Comparison, setup: RunSetup, chart_name: str) -> str:
    """The report: the setup, the headline, the chart, the tables and the arithmetic."""
    lines = [
        "# Load test: the cache off, then on",
        "",
        f"{setup.users} users for {setup.seconds} s per run, each sending the mix of "
        "`loadtests/locustfile.py` without pause, against one process of the app on "
        f"127.0.0.1; {setup.products} seeded products on {setup.database}; the cache in "
        f"{setup.cache_store}. Both runs start from a fresh process (a cold cache).",
        "",
        f"**{headline(comparison)}**",
        "",
        f"![p50 and p95 latency, and throughput, with the cache off and on]({chart_name})",
        "",
        *_markdown_table(comparison),
        "",
        "## Per request (milliseconds)",
        "",
        "Single products and category summaries are cached; lists and writes are not,",
        "so they show what the cache does to the rest of the traffic.",
        "",
        *_per_request_table(comparison),
        "",
        "## Capacity arithmetic",
        "",
        *capacity(comparison, setup.users),
        "",
    ]
    if comparison.failures:
        lines += [
            f"**{comparison.failures} requests failed**: the numbers above include errors; "
            "read locust's output before trusting them.",
            "",
        ]
    return "\n".join(lines)


def draw_chart(comparison: Comparison, path: Path) -> None:
    """Two panels as a PNG: p50 and p95 latency side by side, then throughput.

    `Figure` directly rather than pyplot: no global state and no GUI, so it draws on
    a server with no display (matplotlib's Agg renderer writes the PNG).
    """
    runs = (comparison.off, comparison.on)
    labels = [run.label for run in runs]
    colors = ["#b0b0b0", "#2a7ab0"]
    figure = Figure(figsize=(9, 4), dpi=100)
    latency, throughput = figure.subplots(1, 2)
    width = 0.38
    for index, run in enumerate(runs):
        offsets = [position + (index - 0.5) * width for position in (0, 1)]
        bars = latency.bar(
            offsets,
            [run.total.p50_ms, run.total.p95_ms],
            width,
            label=run.label,
            color=colors[index],
        )
        latency.bar_label(bars, fmt="%g")
    latency.set_xticks([0, 1], ["p50", "p95"])
    latency.set_ylabel("latency (ms, lower is better)")
    latency.legend()
    bars = throughput.bar(
        labels, [run.total.requests_per_second for run in runs], color=colors, width=0.6
    )
    throughput.bar_label(bars, fmt="%.0f")
    throughput.set_ylabel("requests/s (higher is better)")
    figure.suptitle("The same load, cache off and on")
    figure.tight_layout()
    figure.savefig(path, format="png")
