import pytest

from gateway_service.domain.scopes import ScopeOutsideVocabulary, ensure_known, scope_for, vocabulary


def test_the_vocabulary_is_read_and_write_for_each_service() -> None:
    assert vocabulary(["enrolment", "training"]) == {
        "enrolment:read",
        "enrolment:write",
        "training:read",
        "training:write",
    }


@pytest.mark.parametrize(
    ("method", "scope"),
    [
        ("GET", "training:read"),
        ("HEAD", "training:read"),
        ("OPTIONS", "training:read"),
        ("POST", "training:write"),
        ("PUT", "training:write"),
        ("PATCH", "training:write"),
        ("DELETE", "training:write"),
    ],
)
def test_safe_methods_read_and_the_others_write(method: str, scope: str) -> None:
    assert scope_for("training", method) == scope


def test_scopes_outside_the_vocabulary_are_named() -> None:
    known = vocabulary(["enrolment"])
    assert ensure_known(["enrolment:read"], known) == {"enrolment:read"}
    with pytest.raises(ScopeOutsideVocabulary) as refused:
        ensure_known(["enrolment:read", "enrolment:admin", "enrolment"], known)
    assert refused.value.unknown == ["enrolment", "enrolment:admin"]
    assert refused.value.vocabulary == ["enrolment:read", "enrolment:write"]
