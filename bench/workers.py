"""Run each measurement in a fresh process, one at a time.

A fresh process per measurement keeps the numbers independent: no warm caches from the
previous system, and a peak-memory figure that is that system's alone.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def in_fresh_process(fn: Callable[[T], dict[str, Any]], task: T) -> dict[str, Any]:
    """``fn(task)`` in a newly spawned interpreter; its exceptions propagate."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(fn, task).result()
