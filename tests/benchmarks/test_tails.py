"""The benchmark's added-latency figures: the difference itself, and an interval that says how sure it is."""

import random

import pytest
from benchmarks.tails import Difference, quantile, quantile_difference


def test_a_constant_shift_is_found_at_every_quantile_with_a_narrow_interval() -> None:
    rng = random.Random(7)
    direct = [rng.lognormvariate(1.6, 0.25) for _ in range(4000)]
    through_gateway = [value + 0.8 for value in direct]
    for fraction in (0.5, 0.99):
        added = quantile_difference(direct, through_gateway, fraction)
        assert added.value == pytest.approx(0.8)
        assert added.low <= added.value <= added.high
        # Both samples are resampled independently, so the interval is not zero, but a few dozen tail answers
        # out of thousands keep it well under a millisecond for this spread.
        assert 0 < added.high - added.low < 1.0


def test_a_tail_resting_on_few_answers_gets_a_wide_interval() -> None:
    rng = random.Random(11)
    direct = [rng.expovariate(1 / 5) for _ in range(200)]
    through_gateway = [rng.expovariate(1 / 5) + 1.0 for _ in range(200)]
    at_p99 = quantile_difference(direct, through_gateway, 0.99)
    at_p50 = quantile_difference(direct, through_gateway, 0.5)
    # Two answers above each p99: the interval is several times the 1 ms actually added.
    assert at_p99.high - at_p99.low > 3.0
    assert at_p99.high - at_p99.low > 2 * (at_p50.high - at_p50.low)


def test_the_same_samples_always_give_the_same_interval() -> None:
    rng = random.Random(3)
    a = [rng.random() for _ in range(500)]
    b = [rng.random() + 0.1 for _ in range(500)]
    assert quantile_difference(a, b, 0.99) == quantile_difference(a, b, 0.99)


def test_quantile_interpolates_between_ranks() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert quantile([5.0], 0.99) == 5.0


def test_an_empty_sample_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        quantile_difference([], [1.0], 0.5)


def test_description() -> None:
    assert Difference(1.0, 0.5, 2.0).describe("ms") == "1.00 ms (95 % interval 0.50 to 2.00)"
