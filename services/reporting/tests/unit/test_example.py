"""The example's own rules, without servers."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from reporting_service.domain.example import new_example


def test_a_new_example_keeps_its_code_in_lower_case_and_its_label_without_outer_spaces() -> None:
    org = uuid.uuid4()
    now = datetime.now(UTC)
    example = new_example("Site-A", "  First site ", org, now)
    assert (example.code, example.label) == ("site-a", "First site")
    assert (example.created_by_org_id, example.created_at) == (org, now)


def test_every_new_example_gets_its_own_id() -> None:
    now = datetime.now(UTC)
    org = uuid.uuid4()
    assert new_example("a", "A", org, now).id != new_example("a", "A", org, now).id
