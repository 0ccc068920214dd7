"""The programme's codes as the dashboard names them: every code a service can answer with has words in both
languages, and a code no list knows shows itself rather than a catalogue key."""

from __future__ import annotations

import typing

import pytest

from employment_service.domain.vocabulary import VacancyStatus
from gateway_service.api.dashboard.programme import group_label
from gateway_service.api.dashboard_codes import CODES_EN, CODES_FR, VACANCY_STATUSES, code_label
from gateway_service.api.messages import translator
from hope_contracts import training
from hope_contracts.codes import SectorCode, Track

KINDS = {
    "sector": typing.get_args(SectorCode),
    "track": typing.get_args(Track),
    "alert_rule": typing.get_args(training.AlertRule),
    "gap_kind": ("no_placement_coming_week", "placement_ends_before_step"),
    "vacancy_status": VACANCY_STATUSES,
}


def test_the_vacancy_statuses_are_employments() -> None:
    """The employers page asks for each status's vacancies: a status employment has and the list lacks would
    leave its vacancies out."""
    assert set(VACANCY_STATUSES) == {status.value for status in VacancyStatus}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_code_has_its_words(lang: str) -> None:
    t = translator(lang)
    for kind, codes in KINDS.items():
        for code in codes:
            assert code_label(t, kind, code) != code, (kind, code)
    assert set(CODES_FR) == set(CODES_EN)


def test_a_code_is_named_in_the_reader_s_language_and_an_unknown_one_shows_itself() -> None:
    fr, en = translator("fr"), translator("en")
    assert (code_label(fr, "sector", "logistics"), code_label(en, "sector", "logistics")) == (
        "Logistique et entreposage",
        "Logistics and warehousing",
    )
    assert code_label(fr, "region", "84") == code_label(en, "region", "84") == "Auvergne-Rhône-Alpes"
    assert code_label(fr, "sector", "aerospace") == "aerospace"
    assert code_label(fr, "region", "99") == "99"
    assert code_label(fr, "track", None) == ""


def test_groups_are_named_only_where_the_dimension_is_a_named_code() -> None:
    fr = translator("fr")
    assert group_label(fr, "region", "11") == "Île-de-France"
    assert group_label(fr, "track", "individual") == "Individuel"
    assert group_label(fr, "region", "total") == "Total"
    assert (group_label(fr, "region", "unknown"), group_label(translator("en"), "sector", "unknown")) == (
        "Non renseigné",
        "Not stated",
    )
    provider = "5f0c0a7e-2a53-4a57-9d4c-000000000001"
    assert group_label(fr, "provider", provider) == provider
