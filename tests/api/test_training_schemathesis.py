"""Training answers as its OpenAPI document says, whatever a client sends (tests/api/conformance.py), asked by the
programme operator's administrator and by a writer of a training provider."""

from tests.api.conformance import conformance_tests

from hope_contracts.vocabulary import OrgKind
from training_service.main import create_app
from training_service.settings import TrainingSettings

test_training_answers_as_its_document_says, test_the_generated_requests_reach_past_authentication = conformance_tests(
    "training", create_app, TrainingSettings, OrgKind.TRAINING_PROVIDER
)
