"""How the model clients (chat and embeddings) tell the time and wait.

Deadlines are monotonic times, and waits (a ``Retry-After``, a backoff) are sleeps; both
come from one :class:`Timing`, so a test can hand in a clock it moves itself and a sleep
that only records what was asked, and check the deadlines and waits without spending them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """``clock``: monotonic seconds, for deadlines; ``sleep``: a wait of so many seconds."""

    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


#: The real monotonic clock and a real sleep.
REAL_TIME = Timing()
