"""The job runtime: slow work runs after the ack, on a pool, and nobody is left waiting.

A listener acks, then submits its work (an answer, a digest, a list) to a
:class:`JobRuntime`. Every job is tracked from submission to its end, with the apology it
would need, so that a shutdown (:meth:`JobRuntime.shutdown`, :func:`shutdown_all`) can let
running jobs finish for a while and then tell everyone still waiting, instead of leaving
them with nothing when the process goes away. A job that fails is logged with a log id,
and its apology carries that id. A job answering a question says so
(:func:`logged_if_cut_short`): if the shutdown cuts it short, its apology carries the
exchange's id and the question is logged under it, so even a question a restart cut off
is in the conversation log.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from bot.errors import apology, new_log_id, restart_apology

log = logging.getLogger(__name__)

#: How long a shutdown waits for its apologies to reach Slack, all sent at once.
TELL_SECONDS = 1.5

Apologise = Callable[[str], Any]
#: Log a job that a shutdown cut short, given the apology its asker got; see
#: :func:`logged_if_cut_short`.
Record = Callable[[str], Any]


@dataclass
class _Job:
    """A job in hand: who to tell if the shutdown cuts it short, and how, and (while it
    answers a question) the log id it is logged under then and how to log it."""

    apologise: Apologise | None
    doing: str
    cut_short: tuple[str, Record] | None = None


#: The job this thread is running (None outside a job).
_running: ContextVar[_Job | None] = ContextVar("running_job", default=None)


@contextmanager
def logged_if_cut_short(log_id: str, record: Record) -> Iterator[None]:
    """While the block runs, a shutdown that cuts the current job short tells its asker
    with ``log_id`` (not a fresh id) and calls ``record(apology)`` to log the exchange
    under it. ``record`` runs on the shutdown's clock (see :func:`tell_restarted`), so it
    must not raise; outside a job, this does nothing."""
    job = _running.get()
    if job is None:
        yield
        return
    job.cut_short = (log_id, record)
    try:
        yield
    finally:
        job.cut_short = None


@contextmanager
def apologising(apologise: Apologise | None, what: str, doing: str = "answering") -> Iterator[None]:
    """Turn any failure inside the block into a log entry with a fresh log id and, when
    ``apologise`` is given, an apology carrying that id ("Sorry, something went wrong
    while {doing}..."). Never raises: a failure to apologise is logged too."""
    try:
        yield
    except Exception:
        log_id = new_log_id()
        log.exception("%s failed (log id %s)", what, log_id)
        tell(apologise, apology(log_id, doing), log_id)


def tell(apologise: Apologise | None, text: str, log_id: str) -> None:
    """Give the user ``text`` through ``apologise``; if even that fails, log it. Never
    raises."""
    if apologise is None:
        return
    try:
        apologise(text)
    except Exception:
        log.exception("could not tell the user about failure %s", log_id)


class AcksFirst:
    """Acks before answers: background work waits (briefly) while requests are in flight.

    Answers are CPU work under the same GIL as the request threads, so a burst of mentions
    would otherwise slow every ack behind the answers already being written. The HTTP layer
    counts requests in flight; a job waits until there are none, but never longer than
    ``max_wait`` seconds, so steady traffic cannot starve answers.
    """

    def __init__(self, max_wait: float = 0.25) -> None:
        self.max_wait = max_wait
        self._in_flight = 0
        self._quiet = threading.Condition()

    def started(self) -> None:
        with self._quiet:
            self._in_flight += 1

    def finished(self) -> None:
        with self._quiet:
            self._in_flight -= 1
            if self._in_flight <= 0:
                self._quiet.notify_all()

    def wait(self) -> None:
        with self._quiet:
            self._quiet.wait_for(lambda: self._in_flight <= 0, timeout=self.max_wait)


@dataclass(eq=False)  # compared and hashed by identity: a process keeps a set of them
class JobRuntime:
    """Runs jobs on ``work`` after the acks (see :class:`AcksFirst`), and keeps track of
    them until they end, so a shutdown can tell whoever is still waiting."""

    work: Executor
    acks: AcksFirst = field(default_factory=AcksFirst)
    _pending: dict[int, _Job] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    _next_job: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        _live.add(self)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        apologise: Apologise | None = None,
        doing: str = "answering",
        **kwargs: Any,
    ) -> Future[Any]:
        """Run ``fn`` after the ack, on the work pool. A failure is logged with a log id,
        and ``apologise`` (when given) tells the user, so nobody is left waiting."""

        job = next(self._next_job)
        state = _Job(apologise, doing)
        with self._changed:
            self._pending[job] = state

        def run() -> Any:
            running = _running.set(state)
            try:
                with self._changed:
                    if job not in self._pending:  # shut down, and told, before it started
                        return None
                self.acks.wait()
                with apologising(apologise, getattr(fn, "__name__", str(fn)), doing):
                    return fn(*args, **kwargs)
                return None
            finally:
                _running.reset(running)
                with self._changed:
                    self._pending.pop(job, None)
                    self._changed.notify_all()

        return self.work.submit(run)

    def drain(self, grace: float) -> list[_Job]:
        """Give the jobs in hand up to ``grace`` seconds; return (and forget) those that
        have not finished. A forgotten job that has not started never runs."""
        with self._changed:
            self._changed.wait_for(lambda: not self._pending, timeout=max(0.0, grace))
            left = list(self._pending.values())
            self._pending.clear()
        return left

    def shutdown(self, grace: float, tell_within: float = TELL_SECONDS) -> int:
        """:meth:`drain`, then apologise to everyone whose job has not finished (its
        thread may still be running; the process is going away). Returns how many were
        told."""
        return tell_restarted(self.drain(grace), tell_within)


_live: weakref.WeakSet[JobRuntime] = weakref.WeakSet()


def tell_restarted(left: list[_Job], within: float) -> int:
    """Tell each person in ``left`` that briefbot restarted before it was done, and log
    each question cut short (:func:`logged_if_cut_short`) with the apology as its answer.

    The apologies and the log writes go out at once, each in its own thread, and are
    waited for at most ``within`` seconds in all: a Slack Web API or a database that
    hangs must not hold up a stop that has to end within Slack's and the platform's
    limits (a write not done by then is named in the application log). Returns
    ``len(left)``.
    """
    threads = []
    writes = []
    for job in left:
        log_id, record = job.cut_short or (new_log_id(), None)
        log.warning("shutting down before %s was done (log id %s)", job.doing, log_id)
        text = restart_apology(log_id, job.doing)
        threads.append(_started(tell, job.apologise, text, log_id))
        if record is not None:  # beside the apology: neither waits for the other
            writes.append((log_id, _started(record, text)))
    deadline = time.monotonic() + within
    for thread in threads + [write for _, write in writes]:
        thread.join(max(0.0, deadline - time.monotonic()))
    for log_id, write in writes:
        if write.is_alive():
            log.error("exchange %s, cut short, was not stored: the database did not answer", log_id)
    return len(left)


def _started(target: Callable[..., Any], *args: Any) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, name="restart-apology", daemon=True)
    thread.start()
    return thread


def shutdown_all(grace: float, tell_within: float = TELL_SECONDS) -> int:
    """:meth:`JobRuntime.shutdown` for every job runtime in this process, sharing one
    ``grace`` period and one ``tell_within``; returns how many users were told their
    answer was cut short. Takes at most ``grace + tell_within`` seconds."""
    deadline = time.monotonic() + grace
    left: list[_Job] = []
    for runtime in list(_live):
        left.extend(runtime.drain(deadline - time.monotonic()))
    return tell_restarted(left, tell_within)
