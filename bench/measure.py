"""Timing and memory helpers shared by every benchmark."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Latency:
    """Per-query latencies in milliseconds."""

    queries: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Latency:
        if not seconds:
            return cls(0, float("nan"), float("nan"), float("nan"), float("nan"))
        ms = np.asarray(seconds) * 1000.0
        return cls(
            len(ms),
            round(float(np.percentile(ms, 50)), 3),
            round(float(np.percentile(ms, 95)), 3),
            round(float(ms.mean()), 3),
            round(float(ms.max()), 3),
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def time_each(items: Iterable[Any], fn: Callable[[Any], object]) -> list[float]:
    """Seconds taken by ``fn(item)`` for each item."""
    out = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        out.append(time.perf_counter() - started)
    return out


def _status_kb(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakMemory:
    """Peak resident memory of this process above a baseline, in MB.

    On Linux the kernel's high-water mark is reset at ``start()`` (``/proc/self/clear_refs``),
    so what was allocated before (imports, the corpus itself) does not count. Elsewhere the
    process-lifetime ``ru_maxrss`` is used, which can only overstate.
    """

    def __init__(self) -> None:
        self.baseline_kb = 0
        self.resettable = False

    def start(self) -> None:
        try:
            Path("/proc/self/clear_refs").write_text("5")
            self.resettable = True
        except OSError:
            self.resettable = False
        self.baseline_kb = _status_kb("VmRSS") or 0

    def peak_mb(self) -> float:
        peak = _status_kb("VmHWM") if self.resettable else None
        if peak is None:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return round(max(0, peak - self.baseline_kb) / 1024, 1)
