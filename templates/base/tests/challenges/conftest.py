"""The challenge runner: ``make challenge`` lists them, ``make challenge id=...`` runs one.

Each challenge is a statement in ``challenges/<id>.md`` and tests in
``tests/challenges/test_<id>.py`` marked ``challenge``. The default test run
deselects that marker (pyproject.toml), so a fresh project stays green while
the tests of unsolved challenges fail. This plugin is active only when the
marker is selected (``-m challenge``); it then reports per challenge instead
of per test, in the words of each test's docstring, and adds three options:

- ``--challenge=ID`` runs that challenge only;
- ``--hint=N`` prints its first N hints (``## Hint 1``... in the statement):
  hints come one step at a time, so the learner asks for no more than needed;
- ``--challenge-report=PATH`` writes the results as JSON, for tools such as
  the generator's ``progress`` board.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

STATEMENTS = Path(__file__).resolve().parents[2] / "challenges"
HINT_HEADING = re.compile(r"^## Hint (\d+)\s*$")


@dataclass
class Statement:
    """What ``challenges/<id>.md`` says: its title, level and hints."""

    title: str
    level: str
    hints: list[str]


@dataclass
class Outcome:
    """The checks of one challenge: what each test promises, and whether it held."""

    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """A challenge is done when it has checks and every one passes."""
        return bool(self.passed) and not self.failed


def read_statement(challenge_id: str) -> Statement:
    """Reads the title (first heading), ``Level:`` line and hint sections of a statement."""
    path = STATEMENTS / f"{challenge_id}.md"
    if not path.is_file():
        return Statement(title="(no statement)", level="?", hints=[])
    title, level, hints = challenge_id, "?", []
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# ") and title == challenge_id:
            title = line[2:].strip()
        elif line.startswith("Level:"):
            level = line.removeprefix("Level:").strip()
        elif HINT_HEADING.match(line):
            current = []
            hints.append(current)
        elif line.startswith("#"):
            current = None
        elif current is not None:
            current.append(line)
    return Statement(title=title, level=level, hints=["\n".join(hint).strip() for hint in hints])


def challenge_of(item: pytest.Item) -> str:
    """``tests/challenges/test_csv_report.py`` belongs to challenge ``csv-report``."""
    return item.path.stem.removeprefix("test_").replace("_", "-")


def promise_of(item: pytest.Item) -> str:
    """The first line of the test's docstring: what the finished challenge does."""
    doc = getattr(getattr(item, "obj", None), "__doc__", None)
    return doc.strip().splitlines()[0] if doc else item.name


def active(config: pytest.Config) -> bool:
    """Only a run that selects the challenge marker is a challenge run."""
    return str(config.getoption("markexpr", default="")).strip() == "challenge"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Adds --challenge, --hint and --challenge-report."""
    group = parser.getgroup("challenges")
    group.addoption("--challenge", default=None, help="run this challenge only (its id)")
    group.addoption("--hint", type=int, default=0, help="show the first N hints")
    group.addoption("--challenge-report", default=None, help="write the results as JSON here")


class Board:
    """Collects the outcome of every challenge test and prints the summary."""

    def __init__(self) -> None:
        self.promises: dict[str, str] = {}
        self.challenges: dict[str, str] = {}
        self.outcomes: dict[str, Outcome] = {}

    def add(self, item: pytest.Item) -> None:
        """Remembers which challenge a test belongs to and what it promises."""
        challenge = challenge_of(item)
        self.promises[item.nodeid] = promise_of(item)
        self.challenges[item.nodeid] = challenge
        self.outcomes.setdefault(challenge, Outcome())

    def record(self, report: pytest.TestReport) -> None:
        """A test counts as passed when its call passed, as failed when any phase failed."""
        challenge = self.challenges.get(report.nodeid)
        if challenge is None:
            return
        outcome = self.outcomes[challenge]
        promise = self.promises[report.nodeid]
        if report.failed and promise not in outcome.failed:
            outcome.failed.append(promise)
        elif report.when == "call" and report.passed:
            outcome.passed.append(promise)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Pytest hands every phase's result of every test here (the board is a plugin)."""
        self.record(report)

    def as_json(self) -> dict[str, object]:
        """The results, one entry per challenge."""
        return {
            "challenges": {
                challenge: {
                    "done": outcome.done,
                    "passed": len(outcome.passed),
                    "total": len(outcome.passed) + len(outcome.failed),
                    "failing": outcome.failed,
                }
                for challenge, outcome in sorted(self.outcomes.items())
            }
        }


BOARD_KEY = pytest.StashKey[Board]()


def pytest_configure(config: pytest.Config) -> None:
    """Starts a board for a challenge run, registered as a plugin so it receives results."""
    if active(config):
        board = Board()
        config.stash[BOARD_KEY] = board
        config.pluginmanager.register(board, "challenge-board")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With --challenge, keeps that challenge's tests only."""
    if not active(config):
        return
    wanted = config.getoption("challenge")
    if wanted:
        known = sorted({challenge_of(item) for item in items})
        if wanted not in known:
            message = f"no challenge {wanted!r}; the challenges are: {', '.join(known)}"
            raise pytest.UsageError(message)
        kept = [item for item in items if challenge_of(item) == wanted]
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
    board = config.stash[BOARD_KEY]
    for item in items:
        board.add(item)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Writes the JSON report; listing all challenges succeeds even when some are unsolved."""
    config = session.config
    if not active(config):
        return
    board = config.stash[BOARD_KEY]
    target = config.getoption("challenge_report")
    if target:
        Path(target).write_text(json.dumps(board.as_json(), indent=2) + "\n", encoding="utf-8")
    listing = (pytest.ExitCode.TESTS_FAILED, pytest.ExitCode.NO_TESTS_COLLECTED)
    if not config.getoption("challenge") and session.exitstatus in listing:
        session.exitstatus = pytest.ExitCode.OK


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Prints the board: every challenge's state, or one challenge's checks and hints."""
    if not active(config):
        return
    board = config.stash[BOARD_KEY]
    write = terminalreporter.write_line
    wanted = config.getoption("challenge")
    terminalreporter.section("challenges")
    if not wanted:
        for challenge, outcome in sorted(board.outcomes.items()):
            statement = read_statement(challenge)
            total = len(outcome.passed) + len(outcome.failed)
            state = "done" if outcome.done else f"{len(outcome.passed)}/{total} checks pass"
            write(f"{challenge:<28} {statement.level:<9} {state:<17} {statement.title}")
        write("Run one: make challenge id=<id>   (the statement is challenges/<id>.md)")
        return
    outcome = board.outcomes.get(wanted, Outcome())
    statement = read_statement(wanted)
    write(f"{wanted} ({statement.level}): {statement.title}")
    for promise in outcome.passed:
        write(f"  done:      {promise}")
    for promise in outcome.failed:
        write(f"  still to do: {promise}")
    if outcome.done:
        write("Solved: every check passes.")
    else:
        failing = len(outcome.failed)
        write(f"{failing} check(s) still fail; the statement is challenges/{wanted}.md.")
    shown = statement.hints[: max(0, config.getoption("hint"))]
    for number, hint in enumerate(shown, start=1):
        write(f"Hint {number}: {hint}")
    if len(shown) < len(statement.hints) and not outcome.done:
        write(f"Stuck? make challenge id={wanted} hint={len(shown) + 1}")
