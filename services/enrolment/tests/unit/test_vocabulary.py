import pytest

from enrolment_service.domain.errors import UnknownSector
from enrolment_service.domain.regions import REGIONS
from enrolment_service.domain.vocabulary import SECTORS, PathwayStatus, Sector, Step, sector


def test_steps_and_their_statuses() -> None:
    assert [(step.value, step.status) for step in Step] == [
        (1, PathwayStatus.PREREQUISITES),
        (2, PathwayStatus.PRE_ORIENTATION),
        (3, PathwayStatus.FRENCH_QUALIFICATION),
        (4, PathwayStatus.TRADE_QUALIFICATION),
    ]
    assert {status: Step.of(status) for status in PathwayStatus} == {
        PathwayStatus.REGISTERED: None,
        PathwayStatus.PREREQUISITES: Step.PREREQUISITES,
        PathwayStatus.PRE_ORIENTATION: Step.PRE_ORIENTATION,
        PathwayStatus.FRENCH_QUALIFICATION: Step.FRENCH_QUALIFICATION,
        PathwayStatus.TRADE_QUALIFICATION: Step.TRADE_QUALIFICATION,
        PathwayStatus.COMPLETED: None,
        PathwayStatus.ON_HOLD: None,
        PathwayStatus.WITHDRAWN: None,
    }


def test_sector_reference() -> None:
    assert {code: s.rome_code for code, s in SECTORS.items()} == {
        "construction": "F17",
        "industry": "H29",
        "logistics": "N11",
        "hospitality_catering": "G16",
        "cleaning": "K22",
        "agriculture": "A14",
        "transport": "N41",
        "retail": "D12",
        "care": "J15",
        "digital": "M18",
    }
    assert sector("care") == Sector("care", "Care and personal services", "J15")


def test_unknown_sector() -> None:
    with pytest.raises(UnknownSector) as refused:
        sector("Construction")
    assert refused.value.code == "unknown_sector"
    assert refused.value.known == tuple(SECTORS)


def test_the_18_regions() -> None:
    assert len(REGIONS) == 18
    assert REGIONS["11"] == "Île-de-France"
    assert REGIONS["06"] == "Mayotte"


def test_an_unknown_sector_names_the_known_ones_without_repeating_the_code_sent() -> None:
    with pytest.raises(UnknownSector) as refused:
        sector("astronaut-<script>")
    assert "astronaut" not in refused.value.detail
    assert "logistics" in refused.value.detail
