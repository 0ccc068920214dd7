"""An audit reason longer than the audit log's column keeps its readable start and a stable digest of the whole."""

from __future__ import annotations

import hashlib

from hopekit.audit_reason import fitted_reason

LONG = "format=xlsx by=cohort from=2016-01-01 to=2026-12-31 " + " ".join(f"region={n:02d}" for n in range(40))


def test_a_reason_that_fits_is_kept_whole() -> None:
    short = "format=csv by=region from=2020-01-01 to=2026-12-31"
    assert fitted_reason(short, 200) == short


def test_a_long_reason_keeps_its_start_and_a_digest_of_the_whole_within_the_limit() -> None:
    assert len(LONG) > 200
    fitted = fitted_reason(LONG, 200)
    assert len(fitted) <= 200
    assert fitted.startswith("format=xlsx by=cohort from=2016-01-01 to=2026-12-31 region=00")
    assert fitted.endswith("sha256:" + hashlib.sha256(LONG.encode()).hexdigest()[:16])


def test_the_digest_is_stable_and_tells_apart_filters_that_differ_only_after_the_start() -> None:
    other = LONG.replace("region=39", "region=84")
    assert fitted_reason(LONG, 200) == fitted_reason(LONG, 200)
    assert fitted_reason(other, 200) != fitted_reason(LONG, 200)
    assert fitted_reason(other, 200)[:150] == fitted_reason(LONG, 200)[:150]
