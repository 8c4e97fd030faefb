"""Timing helpers: samples in milliseconds, percentiles, and the growth exponent."""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Summary:
    n: int
    p50: float
    p99: float
    mean: float

    def as_dict(self) -> dict:
        return {"n": self.n, "p50_ms": round(self.p50, 3), "p99_ms": round(self.p99, 3), "mean_ms": round(self.mean, 3)}


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (numpy's default)."""
    ordered = sorted(samples)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize(samples_ms: Sequence[float]) -> Summary:
    return Summary(len(samples_ms), percentile(samples_ms, 0.5), percentile(samples_ms, 0.99),
                   sum(samples_ms) / len(samples_ms))


def time_ms(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def repeat_ms(action: Callable[[], object], *, times: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        action()
    return [time_ms(action) for _ in range(times)]


def growth_exponent(sizes: Sequence[int], times_ms: Sequence[float]) -> float:
    """The slope of log(time) against log(size), least squares: 1 is linear, 2 quadratic."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in times_ms]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
            / sum((x - mean_x) ** 2 for x in xs))
