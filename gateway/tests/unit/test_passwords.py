import pytest

from gateway_service.domain.passwords import PasswordRejected, check_password, password_problems

EMAIL = "camille.martin@afpa.example"


def test_a_long_passphrase_is_accepted() -> None:
    assert password_problems("quatre chevaux dans la prairie", EMAIL) == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("court-1A!", "too_short"),
        ("x" * 100 + "abcdefghijklmnopqrstuvwxyz0123", "too_long"),
        ("Password1234", "too_common"),
        ("MotDePasse123", "too_common"),
        ("camille.martin-2026!", "contains_email"),
        ("abababababababab", "too_few_characters"),
    ],
)
def test_weak_passwords_are_refused_with_their_reason(password: str, reason: str) -> None:
    assert reason in password_problems(password, EMAIL)


def test_every_reason_is_given_at_once_and_as_a_field_error() -> None:
    with pytest.raises(PasswordRejected) as refused:
        check_password("aaaa", EMAIL)

    assert refused.value.reasons == ["too_short", "too_few_characters"]
    assert [error["pointer"] for error in refused.value.details()["errors"]] == ["/password", "/password"]  # type: ignore[index]
    # The problem never repeats the password.
    assert "aaaa" not in str(refused.value)


def test_no_composition_rule_is_imposed() -> None:
    assert password_problems("all lower case words only", EMAIL) == []
