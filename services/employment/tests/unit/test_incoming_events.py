"""What the path projection subscribes to: enrolment's consent changes among its path events."""

from employment_service.events.incoming import CONSUMERS
from employment_service.service_layer import projection
from hope_contracts import enrolment


def test_the_path_projection_consumes_consent_changes_into_the_data_sharing_rule() -> None:
    [path_projection] = CONSUMERS
    assert path_projection.handlers[enrolment.ConsentChanged.event_type].use_case is projection.note_consent
