"""Every event the domain publishes maps to an employment contract that carries ids, codes, dates and hours."""

import dataclasses
import inspect
import typing
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

from pydantic import TypeAdapter

from employment_service.domain import events as domain
from employment_service.domain.application import Application, hire
from employment_service.domain.contact import HrContact
from employment_service.domain.contract import WorkStudyContract
from employment_service.domain.employer import Employer
from employment_service.domain.observation import Observation
from employment_service.domain.outcome import record_exit_outcome
from employment_service.domain.person_path import PersonPath
from employment_service.domain.placement import place
from employment_service.domain.regions import REGION_OF_DEPARTMENT, REGIONS
from employment_service.domain.vacancy import Vacancy
from employment_service.domain.vocabulary import (
    BreakingParty,
    BreakReason,
    ContractType,
    EvidenceSource,
    OutcomeCode,
)
from employment_service.events.outgoing import to_contract
from hope_contracts import CATALOGUE, EventContract, codes
from hope_contracts import employment as contracts

NOW = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
FORBIDDEN_NAME_PARTS = ("name", "birth", "email", "phone", "address", "note", "comment", "text", "description")


def a_life_in_the_programme() -> list[domain.DomainEvent]:
    """One employer, one vacancy, one person hired, one broken and one completed contract, an immersion,
    an exit outcome and a follow-up: every kind of event once at least."""
    person = uuid4()
    employer, events = Employer.register(
        siret="73282932000074",
        name="Bâtiments du Rhône",
        naf="43.99C",
        akto_member=True,
        sector_codes=["construction"],
        hr_contact=HrContact("Claire Martin", "claire.martin@example.fr"),
        at=NOW,
    )
    site = employer.add_establishment("69381")
    vacancy, published = Vacancy.publish(
        establishment=site,
        rome="F1703",
        sector_code="construction",
        positions=1,
        hours_per_week=Decimal("35"),
        starts_on=date(2026, 10, 1),
        contract_type=ContractType.PROFESSIONALISATION,
        at=NOW,
    )
    events += published
    application = Application.propose(vacancy, PersonPath(person, step=3))
    application.invite_to_interview()
    events += hire(application, vacancy, [], NOW)
    _, made = place(
        path=PersonPath(person, step=3),
        establishment=site,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 5),
        placement_hours=Decimal("35"),
        placements_of_person=[],
        at=NOW,
    )
    events += made
    contract, signed = WorkStudyContract.sign(
        path=PersonPath(person, step=4),
        establishment=site,
        contract_type=ContractType.PROFESSIONALISATION,
        starts_on=date(2026, 10, 1),
        planned_end_on=date(2027, 6, 30),
        hours_per_week=Decimal("35"),
        tutor_ref="EMP-1",
        trial_ends_on=date(2026, 11, 1),
        contracts_of_person=[],
        at=NOW,
    )
    events += signed + contract.start(date(2026, 10, 1), NOW)
    events += contract.break_off(date(2026, 10, 20), BreakingParty.EMPLOYER, BreakReason.TRIAL_NOT_CONCLUSIVE, NOW)
    outcome_on = date(2026, 5, 31)
    _, follow_ups, recorded = record_exit_outcome(
        path=PersonPath(person, step=4),
        exit_on=outcome_on,
        observation=Observation(OutcomeCode.WORK_STUDY, EvidenceSource.CONTRACT_COPY, employer.id, Decimal("35")),
        existing=None,
        at=NOW,
    )
    events += recorded
    events += follow_ups[0].complete(
        Observation(OutcomeCode.CDI, EvidenceSource.EMPLOYER_CONFIRMATION), date(2026, 8, 31), NOW
    )
    events += vacancy_closed(site)
    return events


def vacancy_closed(site: typing.Any) -> list[domain.DomainEvent]:
    vacancy, _ = Vacancy.publish(
        establishment=site,
        rome="F1703",
        sector_code="construction",
        positions=1,
        hours_per_week=Decimal("35"),
        starts_on=date(2026, 10, 1),
        contract_type=ContractType.APPRENTICESHIP,
        at=NOW,
    )
    return vacancy.close(NOW)


def test_every_kind_of_domain_event_is_published_as_an_employment_contract() -> None:
    happened = a_life_in_the_programme()
    assert {type(event) for event in happened} == _domain_event_kinds()
    for event in happened:
        published = to_contract(event)
        assert published.service() == "employment"
        assert published.event_type in CATALOGUE
        assert type(published).model_validate_json(published.model_dump_json()) == published


def test_every_domain_event_has_a_contract_of_its_name_with_the_same_fields() -> None:
    assert to_contract.mismatches(_domain_event_kinds()) == []


def test_a_domain_event_becomes_its_contract_with_every_value_carried_over() -> None:
    for event in a_life_in_the_programme():
        published = to_contract(event).model_dump(mode="json")
        for field in dataclasses.fields(event):
            value = getattr(event, field.name)
            expected = TypeAdapter(type(value)).dump_python(value, mode="json") if value is not None else None
            if isinstance(value, tuple):
                expected = list(value)
            assert published[field.name] == expected, (type(event).__name__, field.name)


def test_the_contracts_the_issue_names_are_all_there() -> None:
    names = {c.event_type.split(".")[3] + "." + c.event_type.split(".")[4] for c in _employment_contracts()}
    assert {
        "employer.registered",
        "vacancy.published",
        "application.decided",
        "contract.signed",
        "contract.ended",
        "placement.made",
        "outcome.recorded",
        "follow_up.recorded",
    } <= names


def test_no_employment_contract_has_a_field_that_could_carry_identity_or_free_text() -> None:
    for contract in _employment_contracts():
        for field_name, field in contract.model_fields.items():
            assert not any(part in field_name for part in FORBIDDEN_NAME_PARTS), field_name
            for arg in _leaves(field.annotation):
                if arg is str:
                    assert any(getattr(m, "pattern", None) for m in field.metadata), field_name


def test_the_outcome_event_is_keyed_by_the_person_so_enrolment_sees_it_in_order() -> None:
    outcome = next(e for e in a_life_in_the_programme() if isinstance(e, domain.OutcomeRecorded))
    published = to_contract(outcome)
    assert isinstance(published, contracts.OutcomeRecorded)
    assert published.partition_key() == str(outcome.beneficiary_id) == published.subject()


def _domain_event_kinds() -> set[type[domain.DomainEvent]]:
    kinds = {c for _, c in inspect.getmembers(domain, inspect.isclass) if issubclass(c, domain.DomainEvent)}
    return kinds - {domain.DomainEvent}


def _employment_contracts() -> list[type[EventContract]]:
    return [c for c in CATALOGUE.values() if c.service() == "employment"]


def _leaves(annotation: typing.Any) -> list[typing.Any]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return [annotation]
    return [leaf for arg in args for leaf in _leaves(arg)] if args else [annotation]


def test_the_contracts_list_exactly_the_regions_employment_knows() -> None:
    """The domain keeps its own copy of the regions (a domain imports no shared package); enrolment's test holds
    its copy to the same list."""
    assert set(typing.get_args(codes.RegionCode)) == set(REGIONS)
    assert dict(REGIONS) == dict(codes.REGION_NAMES)
    assert set(REGION_OF_DEPARTMENT.values()) == set(REGIONS)
