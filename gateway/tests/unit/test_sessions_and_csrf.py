import uuid
from datetime import UTC, datetime, timedelta

import pytest

from gateway_service.api.messages import MESSAGES
from gateway_service.api.web import from_accept_language, local_path
from gateway_service.domain.csrf import csrf_token, csrf_valid
from gateway_service.domain.sign_in_sessions import PersonSession, SessionTimeouts
from gateway_service.settings import GatewaySettings

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
TIMEOUTS = SessionTimeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=12), pending=timedelta(minutes=10))


def _session(*, complete: bool = True, seen: timedelta = timedelta(0)) -> PersonSession:
    return PersonSession(
        id=uuid.uuid4(),
        person_id=uuid.uuid4(),
        org_id=uuid.uuid4(),
        created_at=NOW,
        last_seen_at=NOW + seen,
        completed_at=NOW if complete else None,
    )


def test_a_session_ends_after_its_idle_time_without_requests() -> None:
    session = _session()

    assert session.expiry_reason(NOW + timedelta(minutes=29), TIMEOUTS) is None
    assert session.expiry_reason(NOW + timedelta(minutes=30), TIMEOUTS) == "idle_timeout"


def test_a_busy_session_still_ends_at_its_absolute_time() -> None:
    session = _session(seen=timedelta(hours=11, minutes=59))

    assert session.expiry_reason(NOW + timedelta(hours=12), TIMEOUTS) == "absolute_timeout"


def test_a_session_waiting_for_its_second_factor_has_ten_minutes() -> None:
    session = _session(complete=False, seen=timedelta(minutes=9))

    assert session.expiry_reason(NOW + timedelta(minutes=9), TIMEOUTS) is None
    assert session.expiry_reason(NOW + timedelta(minutes=10), TIMEOUTS) == "second_factor_timeout"


def test_an_ended_session_says_why() -> None:
    session = _session()
    session.ended_at, session.end_reason = NOW, "signed_out"

    assert session.expiry_reason(NOW, TIMEOUTS) == "signed_out"


def test_a_csrf_token_is_valid_only_for_its_binding_and_key() -> None:
    token = csrf_token(b"key", "session:abc")

    assert csrf_valid(b"key", "session:abc", token)
    assert not csrf_valid(b"key", "session:abd", token)
    assert not csrf_valid(b"other", "session:abc", token)
    assert not csrf_valid(b"key", "session:abc", None)
    assert not csrf_valid(b"key", None, token)
    assert not csrf_valid(b"key", "session:abc", "")


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "fr"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE,en;q=0.5,fr;q=0.8", "fr"),
        ("de-DE,es;q=0.5", "fr"),
        ("en;q=0,fr;q=0.1", "fr"),
        ("en;q=bad,fr", "fr"),
        ("EN-us", "en"),
    ],
)
def test_the_language_defaults_from_accept_language(header: str, language: str) -> None:
    assert from_accept_language(header) == language


@pytest.mark.parametrize(
    ("candidate", "path"),
    [("/dashboard?x=1", "/dashboard?x=1"), ("//evil.example", "/d"), ("https://evil.example", "/d"), (None, "/d")],
)
def test_a_redirect_after_a_form_stays_on_the_gateway(candidate: str | None, path: str) -> None:
    assert local_path(candidate, "/d") == path


def test_both_languages_have_every_message() -> None:
    assert MESSAGES["fr"].keys() == MESSAGES["en"].keys()


def test_cookies_are_secure_outside_development_and_test_unless_said_otherwise() -> None:
    production = GatewaySettings(
        environment="production", key_encryption_secret="x" * 40, jwks_url="https://gw.example/jwks"
    )
    assert production.cookies_secure
    assert not GatewaySettings(environment="development").cookies_secure
    assert GatewaySettings(environment="development", session_cookie_secure=True).cookies_secure
