"""Enrolment answers as its OpenAPI document says, whatever a client sends (tests/api/conformance.py), asked by the
programme operator's administrator and by a writer of an immigration office."""

from tests.api.conformance import conformance_tests

from enrolment_service.main import create_app
from enrolment_service.settings import EnrolmentSettings
from hope_contracts.vocabulary import OrgKind

test_enrolment_answers_as_its_document_says, test_the_generated_requests_reach_past_authentication = conformance_tests(
    "enrolment", create_app, EnrolmentSettings, OrgKind.IMMIGRATION_OFFICE
)
