"""The admin API's kept answers (replayed for an Idempotency-Key) are sealed: nothing of them in clear, and a
sealed answer opens only for the caller and key it was kept for."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from gateway_service.api.idempotency import SealedAnswers
from gateway_service.service_layer.sealing import Sealer, derived_key

ANSWER = {"client_id": "hope_abc", "client_secret": "s3cr3t-value", "roles": ["writer"]}


def test_a_kept_answer_holds_nothing_in_clear_and_opens_as_it_was() -> None:
    answers = SealedAnswers(Sealer(derived_key(b"secret", "idempotent-answers")))
    kept = answers.seal(ANSWER, "org:client\nkey-1")

    assert "s3cr3t-value" not in repr(kept)
    assert "hope_abc" not in repr(kept)
    assert answers.open(kept, "org:client\nkey-1") == ANSWER


def test_an_answer_moved_to_another_caller_or_key_does_not_open() -> None:
    answers = SealedAnswers(Sealer(derived_key(b"secret", "idempotent-answers")))
    kept = answers.seal(ANSWER, "org:client\nkey-1")

    with pytest.raises(InvalidTag):
        answers.open(kept, "org:other\nkey-1")
    with pytest.raises(InvalidTag):
        answers.open(kept, "org:client\nkey-2")
    with pytest.raises(InvalidTag):
        SealedAnswers(Sealer(derived_key(b"secret", "totp"))).open(kept, "org:client\nkey-1")
