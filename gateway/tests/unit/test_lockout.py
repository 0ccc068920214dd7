import uuid
from datetime import UTC, datetime, timedelta

from gateway_service.domain.people import LockoutPolicy, Person
from hope_contracts.vocabulary import Role

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
POLICY = LockoutPolicy(max_failures=3, lock_for=timedelta(minutes=15))


def _person(*roles: Role) -> Person:
    return Person(
        id=uuid.uuid4(),
        org_id=uuid.uuid4(),
        email="camille@afpa.example",
        display_name="Camille",
        roles=frozenset(roles or {Role.READER}),
        scopes=frozenset(),
        locale="fr",
        created_at=NOW,
        password_hash="$argon2id$...",
    )


def test_the_account_locks_on_the_last_allowed_failure_and_says_so_once() -> None:
    person = _person()

    locks = [person.failed(NOW + timedelta(seconds=n), POLICY) for n in range(4)]

    assert locks == [False, False, True, False]
    assert person.locked(NOW + timedelta(minutes=10))
    assert not person.locked(NOW + timedelta(minutes=16))


def test_after_the_lock_runs_out_the_count_starts_again() -> None:
    person = _person()
    for n in range(3):
        person.failed(NOW + timedelta(seconds=n), POLICY)

    later = NOW + timedelta(minutes=20)
    assert person.failed(later, POLICY) is False
    assert person.failed_attempts == 1
    assert not person.locked(later)


def test_a_complete_sign_in_clears_the_count() -> None:
    person = _person()
    person.failed(NOW, POLICY)
    person.failed(NOW, POLICY)

    person.signed_in(NOW)

    assert person.failed_attempts == 0
    assert person.failed(NOW, POLICY) is False


def test_admin_and_medical_roles_need_a_second_factor_others_do_not() -> None:
    assert _person(Role.ADMIN).needs_second_factor
    assert _person(Role.MEDICAL, Role.READER).needs_second_factor
    assert not _person(Role.WRITER, Role.READER, Role.REPORTING).needs_second_factor


def test_a_person_who_has_not_accepted_their_invitation_cannot_sign_in() -> None:
    person = _person()
    person.password_hash = None

    assert not person.can_sign_in
