"""The document says what the service refuses in text: a generated client (schemathesis's stateful phase found it)
sent names with control characters, which the document allowed and the service refused."""

import re

import pytest
from pydantic import ValidationError

from enrolment_service.api.schemas import Registration
from enrolment_service.main import create_app
from enrolment_service.settings import EnrolmentSettings

VALID = {"given_name": "Amina", "family_name": "Haddad", "birth_date": "1994-03-12", "nationality": "SYR"}


def shape(field: str) -> str:
    document = create_app(EnrolmentSettings(database_url="sqlite+aiosqlite://")).openapi()
    schema = document["components"]["schemas"]["Registration"]["properties"][field]
    found = schema.get("pattern") or next(s["pattern"] for s in schema["anyOf"] if "pattern" in s)
    return str(found)


@pytest.mark.parametrize(
    ("field", "refused"),
    [("given_name", "Ami\x00na"), ("given_name", "  \t "), ("family_name", "Had\x9fdad"), ("email", "a\x07@b.fr")],
)
def test_what_the_service_refuses_in_text_the_document_refuses_too(field: str, refused: str) -> None:
    with pytest.raises(ValidationError):
        Registration.model_validate({**VALID, "protection_status": "refugee", field: refused})
    assert re.search(shape(field), refused) is None


@pytest.mark.parametrize(("field", "accepted"), [("given_name", " Zaïnab-Ève "), ("email", "zainab@example.org")])
def test_what_the_service_accepts_the_document_accepts(field: str, accepted: str) -> None:
    Registration.model_validate({**VALID, "protection_status": "refugee", field: accepted})
    assert re.search(shape(field), accepted) is not None
