"""No check can be made slow: long runs of the patterns' own characters stay cheap.

This is the one timing the suite keeps (issue 14, item 1): every check must finish
within 50 ms of CPU time on any 5,000-character input built from the characters
its patterns are written with. CPU time (not wall time) is measured, caches are
emptied first, and a slow first try gets one retry, so a busy machine does not
fail the test; a super-linear pattern takes seconds, not 60 ms.
"""

from __future__ import annotations

import gc
import importlib
import pkgutil
import re
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import townhall.moderation.checks as checks_pkg
from townhall.moderation import classifier, pipeline, text, words
from townhall.moderation.checks.impersonation import NOTICE
from townhall.moderation.pipeline import CHECKS, Action, Rules, Submission, clear_caches, review

LIMIT = 0.050
SIZE = 5000
RULES = Rules(publisher_name="The Daily Bugle", staff_names=("Jane Watson",))


def _pattern_sources() -> list[str]:
    modules = [words, text, classifier, pipeline]
    for info in pkgutil.iter_modules(checks_pkg.__path__):
        modules.append(importlib.import_module(f"townhall.moderation.checks.{info.name}"))
    found: list[str] = []

    def visit(value: object, depth: int = 0) -> None:
        source = getattr(value, "pattern", None)
        if isinstance(source, str):
            found.append(source)
        elif hasattr(value, "regex"):
            visit(value.regex, depth)
        elif isinstance(value, tuple | list) and depth < 2:
            for item in value:
                visit(item, depth + 1)

    for module in modules:
        for value in vars(module).values():
            visit(value)
    return found


SOURCES = _pattern_sources()
ALPHABET = sorted({c for s in SOURCES for c in s} | set(" \n\t.,_-'\"@*$!#"))
# Words the patterns spell, so runs can also be of whole words ("you you you ...").
WORDS = sorted({w for s in SOURCES for w in re.findall(r"[a-z]{2,}", s)})[:400]


def _cpu_time(check, sub: Submission) -> float:
    clear_caches()
    start = time.process_time()
    check(sub)
    return time.process_time() - start


def _slowest(body: str) -> tuple[str, float]:
    sub = Submission(body=body, rules=RULES, author_name="Jane Watsn")
    worst = ("", 0.0)
    for check in CHECKS:
        spent = _cpu_time(check, sub)
        if spent > LIMIT:  # one retry: the machine may have been busy
            spent = min(spent, _cpu_time(check, sub))
        worst = max(worst, (check.__name__, spent), key=lambda x: x[1])
    return worst


def _fill(pieces: list[str]) -> str:
    body = "".join(pieces) or "a"
    return (body * (SIZE // len(body) + 1))[:SIZE]


runs = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(ALPHABET), st.integers(1, 2500)).map(lambda t: t[0] * t[1]),
        st.tuples(st.sampled_from(WORDS), st.sampled_from(ALPHABET), st.integers(1, 300)).map(
            lambda t: (t[0] + t[1]) * t[2]
        ),
        st.text(alphabet=ALPHABET, min_size=1, max_size=40),
    ),
    min_size=1,
    max_size=12,
)


def test_the_patterns_were_found():
    assert len(SOURCES) > 50 and "\n" in ALPHABET and "_" in ALPHABET


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(pieces=runs)
def test_no_check_takes_more_than_50_ms_on_5000_characters_of_its_own_alphabet(pieces):
    review(Submission(body="warm-up", rules=RULES))
    name, spent = _slowest(_fill(pieces))
    assert spent <= LIMIT, f"{name} took {spent * 1000:.0f} ms"


@pytest.mark.parametrize(
    "body",
    [
        "\n" * SIZE,  # the old notice pattern was cubic in newlines
        "_" * 46 + "ab",  # the old spelled-out-word pattern was exponential in underscores
        "x " + "_" * 4990 + "ab",
        "a_" * 2500,
        'A--"' * 1250,  # found by the property test: one hit per word made it quadratic
        ("\n" + " " * 10) * 450 + "[moderator",
    ],
)
def test_known_redos_inputs_are_cheap(body):
    review(Submission(body="warm-up", rules=RULES))
    name, spent = _slowest(body)
    assert spent <= LIMIT, f"{name} took {spent * 1000:.0f} ms"


def test_notice_pattern_still_finds_a_dressed_up_notice_after_many_blank_lines():
    assert NOTICE.search("\n" * 2000 + "[Moderator note]: read this")
    assert not NOTICE.search("\n" * 2000 + "the moderator noted it")


def test_spelled_out_words_are_still_found_after_the_fix():
    assert review(Submission(body="what a load of s.h.i.t", rules=RULES)).action is not (
        Action.PUBLISH
    )
    assert review(Submission(body="f_u_c_k off", rules=RULES)).action is not Action.PUBLISH
    assert review(Submission(body="snake_case_names are fine", rules=RULES)).findings == ()


def test_a_review_that_runs_out_of_time_is_held_for_a_moderator(monkeypatch):
    # A deliberately catastrophic pattern (Python's engine, nested repeats) stands in
    # for a mistake in a future check; the budget must stop it and hold the comment.
    catastrophic = re.compile(r"(a+)+$")

    def slow_check(sub: Submission):
        catastrophic.match(sub.body)

    monkeypatch.setattr(pipeline, "CHECKS", (slow_check,))
    result = review(Submission(body="a" * 40 + "!", rules=RULES), budget=0.05)
    assert result.action is Action.HOLD
    assert result.findings[0].guideline == "trust"
    assert "ran out of" in result.findings[0].reason


def test_the_budget_is_not_spent_inside_a_librarys_finalizer(monkeypatch):
    # The garbage collector runs finalizers (SQLAlchemy's, asyncpg's) at any allocation,
    # and the budget's signal can land in one; raised there, OutOfTime would be swallowed
    # and the review would run on without a budget. Here the signal is delivered while a
    # frame of an installed library runs: it must wait and stop the review after it.
    catastrophic = re.compile(r"(a+)+$")
    library = "/usr/lib/python3/site-packages/somelib/finalizers.py"
    # The timer, as if it ran out just as the finalizer started.
    # It runs past the review's budget, so the timer is due inside it.
    source = (
        "def finalizer(signal, time, until):\n"
        "    while time.thread_time() < until:\n"
        "        pass\n"
        "    signal.raise_signal(signal.SIGVTALRM)\n"
        "    return 'done'\n"
    )
    scope: dict = {}
    # A fixed snippet compiled under a library's file name, to run as that library's frame.
    exec(compile(source, library, "exec"), scope)  # noqa: S102
    seen: list[str] = []

    def slow_check(sub: Submission):
        seen.append(scope["finalizer"](signal, time, time.thread_time() + 0.1))
        catastrophic.match(sub.body)

    monkeypatch.setattr(pipeline, "CHECKS", (slow_check,))
    result = review(Submission(body="a" * 40 + "!", rules=RULES), budget=0.05)
    assert seen == ["done"], "the library's frame ran to its end"
    assert result.action is Action.HOLD and "ran out of" in result.findings[0].reason


def test_the_budget_is_not_spent_inside_any_finalizer(monkeypatch):
    # The standard library has finalizers too (asyncio's transports close themselves in
    # `__del__`), and they are not under site-packages: the signal landed in one during a
    # full test run and the review went on without its budget. Any `__del__` on the stack
    # makes the signal wait, wherever its file lives.
    catastrophic = re.compile(r"(a+)+$")
    seen: list[str] = []

    class Closing:
        def __del__(self) -> None:
            until = time.thread_time() + 0.1  # past the budget: the timer is due in here
            while time.thread_time() < until:
                pass
            signal.raise_signal(signal.SIGVTALRM)
            seen.append("closed")

    def slow_check(sub: Submission):
        Closing()  # dropped at once: its finalizer runs here, as the collector would run it
        catastrophic.match(sub.body)

    monkeypatch.setattr(pipeline, "CHECKS", (slow_check,))
    result = review(Submission(body="a" * 40 + "!", rules=RULES), budget=0.05)
    assert seen == ["closed"], "the finalizer ran to its end"
    assert result.action is Action.HOLD and "ran out of" in result.findings[0].reason


QUIET = "A quiet remark."


@contextmanager
def _another_thread_burning() -> Iterator[list[float]]:
    """Another thread of this process spending CPU until the block ends; yields a list
    whose one item is how much it has spent so far."""
    stop = threading.Event()
    spent = [0.0]

    def burn() -> None:
        start = time.thread_time()
        while not stop.is_set():
            sum(range(1000))
            spent[0] = time.thread_time() - start

    burner = threading.Thread(target=burn, daemon=True)
    burner.start()
    try:
        yield spent
    finally:
        stop.set()
        burner.join()


def test_other_threads_do_not_spend_a_reviews_budget(monkeypatch):
    # A server process has other busy threads (the SQLite driver's, a neighbour's work);
    # a review is charged only the CPU of the thread that runs it. Here another thread
    # burns several budgets' worth while the review waits: the review must still pass.
    budget = 0.05
    burnt_by_then: list[float] = []

    def waiting_check(sub: Submission):
        if sub.body != QUIET:
            return  # the warm-up before the budget starts
        started = time.process_time()
        with _another_thread_burning() as spent:
            limit = time.monotonic() + 30  # bounded even on a crowded machine
            while spent[0] <= 4 * budget and time.monotonic() < limit:
                time.sleep(0.002)
        burnt_by_then.append(time.process_time() - started)

    monkeypatch.setattr(pipeline, "CHECKS", (waiting_check,))
    result = review(Submission(body=QUIET, rules=RULES), budget=budget)
    assert result.action is Action.PUBLISH, result.findings
    assert burnt_by_then[0] > 4 * budget, "the process used several budgets meanwhile"


def test_the_collectors_passes_are_not_charged_to_a_review(monkeypatch):
    # A full collection walks the whole process heap (a worker's is large), and it runs on
    # whichever thread allocates: that is not the comment's cost.
    budget = 0.02
    heap = [[index] for index in range(300_000)]  # something for the collector to walk
    spent_collecting: list[float] = []

    def collecting_check(sub: Submission):
        if sub.body != QUIET:
            return  # the warm-up before the budget starts
        start = time.thread_time()
        for _ in range(200):
            gc.collect()
            if time.thread_time() - start > 3 * budget:
                break
        spent_collecting.append(time.thread_time() - start)

    monkeypatch.setattr(pipeline, "CHECKS", (collecting_check,))
    result = review(Submission(body=QUIET, rules=RULES), budget=budget)
    assert len(heap) == 300_000
    assert result.action is Action.PUBLISH, result.findings
    assert spent_collecting[0] > 3 * budget, "the collector ran for several budgets"


def test_a_review_is_still_stopped_while_other_threads_work(monkeypatch):
    # Leaving other threads out must not leave the review without a budget.
    catastrophic = re.compile(r"(a+)+$")

    def slow_check(sub: Submission):
        catastrophic.match(sub.body)

    monkeypatch.setattr(pipeline, "CHECKS", (slow_check,))
    with _another_thread_burning():
        started = time.thread_time()
        result = review(Submission(body="a" * 40 + "!", rules=RULES), budget=0.05)
        used = time.thread_time() - started
    assert result.action is Action.HOLD and "ran out of" in result.findings[0].reason
    assert used < 1.0, f"the review ran on for {used:.2f} s of its own CPU"
