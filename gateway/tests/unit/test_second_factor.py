from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from cryptography.exceptions import InvalidTag

from gateway_service.service_layer.sealing import Sealer, derived_key
from gateway_service.service_layer.second_factor import accepted_step, new_secret

NOW = datetime(2026, 12, 2, 9, 30, 10, tzinfo=UTC)


def _code(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def test_the_current_code_and_one_step_either_side_are_accepted() -> None:
    secret = new_secret()
    current = pyotp.TOTP(secret).timecode(NOW)

    for offset in (-1, 0, 1):
        assert accepted_step(secret, _code(secret, NOW + timedelta(seconds=30 * offset)), NOW, None) == current + offset


def test_codes_two_steps_away_are_refused() -> None:
    secret = new_secret()

    assert accepted_step(secret, _code(secret, NOW - timedelta(seconds=60)), NOW, None) is None
    assert accepted_step(secret, _code(secret, NOW + timedelta(seconds=60)), NOW, None) is None


def test_a_code_is_good_once_even_within_its_window() -> None:
    secret = new_secret()
    step = accepted_step(secret, _code(secret, NOW), NOW, None)
    assert step is not None

    assert accepted_step(secret, _code(secret, NOW), NOW, step) is None
    assert accepted_step(secret, _code(secret, NOW - timedelta(seconds=30)), NOW, step) is None
    assert accepted_step(secret, _code(secret, NOW + timedelta(seconds=30)), NOW, step) == step + 1


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_anything_but_six_digits_is_refused(code: str) -> None:
    assert accepted_step(new_secret(), code, NOW, None) is None


def test_a_code_typed_with_a_space_is_read_as_six_digits() -> None:
    secret = new_secret()
    code = _code(secret, NOW)

    assert accepted_step(secret, f"{code[:3]} {code[3:]}", NOW, None) is not None


def test_a_sealed_secret_opens_only_for_its_own_person_and_key() -> None:
    sealer = Sealer(derived_key(b"secret", "totp"))
    sealed = sealer.seal("JBSWY3DPEHPK3PXP", "person-1")

    assert sealer.open(sealed, "person-1") == "JBSWY3DPEHPK3PXP"
    with pytest.raises(InvalidTag):
        sealer.open(sealed, "person-2")
    with pytest.raises(InvalidTag):
        Sealer(derived_key(b"secret", "csrf")).open(sealed, "person-1")
