"""How far apart two latency samples are at a quantile, with how sure that figure is.

A p99 difference rests on the slowest one percent of each sample: a few dozen answers out of a few thousand.
Two runs of the same code have differed by more than a millisecond there, so every added-latency
figure comes with a bootstrap 95 % interval (scipy's percentile bootstrap, both samples resampled
independently): a figure whose interval crosses its target is not a pass, whatever the point says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import bootstrap

RESAMPLES = 2_000
# Fixed, so that the same samples always give the same interval.
SEED = 20261202


@dataclass(frozen=True)
class Difference:
    """``value`` = quantile of the second sample minus that of the first, in the samples' unit."""

    value: float
    low: float
    high: float

    def describe(self, unit: str) -> str:
        return f"{self.value:.2f} {unit} (95 % interval {self.low:.2f} to {self.high:.2f})"


def quantile(values: Sequence[float], fraction: float) -> float:
    return float(np.quantile(np.asarray(values, dtype=float), fraction))


def quantile_difference(first: Sequence[float], second: Sequence[float], fraction: float) -> Difference:
    if not first or not second:
        raise ValueError("both samples need at least one value")
    samples = (np.asarray(first, dtype=float), np.asarray(second, dtype=float))

    def statistic(a: Any, b: Any, axis: int = -1) -> Any:
        return np.quantile(b, fraction, axis=axis) - np.quantile(a, fraction, axis=axis)

    # BCa's jackknife is quadratic in the sample size (thousands of answers here); the percentile method is not.
    result = bootstrap(
        samples,
        statistic,
        n_resamples=RESAMPLES,
        vectorized=True,
        method="percentile",
        batch=200,
        rng=np.random.default_rng(SEED),
    )
    interval = result.confidence_interval
    return Difference(float(statistic(*samples)), float(interval.low), float(interval.high))
