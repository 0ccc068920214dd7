"""Enrolment answers as its OpenAPI document says, whatever a client sends (tests/api/conformance.py), asked by the
programme operator's administrator and by a writer of an immigration office; then the same checks along the
workflows its document's links describe (schemathesis's stateful phase): a person registered, consenting, through
their pathway, erased; a cohort formed, its calendar changed, members added.

The stateful phase runs on its own database, where the cohorts' providers are registered partners as the gateway's
events would make them: the document cannot say which organisations exist, nor the age rule on today's date, so
the scenarios' requests name those providers and a birth date of an adult. Everything else is generated.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi import stateful
from tests.api.conformance import CHECKS, conformance_tests

from enrolment_service.adapters.tables import kit, partners
from enrolment_service.adapters.unit_of_work import EnrolmentUnitOfWork
from enrolment_service.main import create_app
from enrolment_service.settings import EnrolmentSettings
from hope_contracts.vocabulary import OrgKind
from hopekit.db.engine import make_engine
from hopekit.db.migrations import upgrade
from hopekit.testing import TokenIssuer, seed_partners, service_settings
from hopekit.uow import Database

ROOT = Path(__file__).resolve().parents[2]
# A bounded budget (scenarios, and steps in each) for the suite; the variables raise it for a deeper run, and
# HOPE_SCHEMATHESIS_RANDOM=1 draws other scenarios than the suite's fixed ones.
SCENARIOS = int(os.environ.get("HOPE_SCHEMATHESIS_SCENARIOS", "25"))
STEPS = int(os.environ.get("HOPE_SCHEMATHESIS_STEPS", "10"))
REGISTER, CREATE_COHORT = "POST /v1/beneficiaries", "POST /v1/cohorts"
ADD_MEMBER = "POST /v1/cohorts/{cohort_id}/members"

test_enrolment_answers_as_its_document_says, test_the_generated_requests_reach_past_authentication = conformance_tests(
    "enrolment", create_app, EnrolmentSettings, OrgKind.IMMIGRATION_OFFICE
)


class Providers:
    """The cohorts' training and support providers, registered at the gateway."""

    training = uuid.uuid4()
    support = uuid.uuid4()


@pytest.fixture(scope="module")
def workflows_app(tmp_path_factory: pytest.TempPathFactory, issuer: TokenIssuer) -> FastAPI:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('workflows') / 'enrolment.db'}"
    upgrade(ROOT / "services" / "enrolment", url)

    async def register_providers() -> None:
        engine = make_engine(url)
        try:
            database = Database(engine=engine, tables=kit)
            organisations = {Providers.training: OrgKind.TRAINING_PROVIDER, Providers.support: OrgKind.SUPPORT_PROVIDER}
            await seed_partners(lambda: EnrolmentUnitOfWork(database), partners, organisations)
        finally:
            await engine.dispose()

    asyncio.run(register_providers())
    return create_app(service_settings(EnrolmentSettings, url, issuer))


def _adult_birth_date() -> str:
    today = datetime.now(UTC).date()
    return date(today.year - 30, 6, 15).isoformat()


def test_enrolment_answers_as_its_document_says_along_its_links(
    workflows_app: FastAPI, operator: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: Counter[tuple[str, int]] = Counter()
    # Operations answered 2xx about a person or cohort that an earlier step of the run created.
    followed: Counter[str] = Counter()
    made: set[str] = set()
    people: list[str] = []
    failures: list[str] = []
    schema = schemathesis.openapi.from_dict(workflows_app.openapi())
    # Schemathesis guesses that `france_travail_id` and the providers' `..._org_id` name resources this API would
    # create, none does, and so it never starts a scenario with the two operations that create: they are ids of
    # other systems (France Travail, the gateway's organisations). The scenarios start with them too.
    likely_root = stateful.is_likely_root_transition
    monkeypatch.setattr(
        stateful,
        "is_likely_root_transition",
        lambda operation, *rest: operation.label in (REGISTER, CREATE_COHORT) or likely_root(operation, *rest),
    )
    workflows = schema.as_state_machine()

    class EnrolmentWorkflows(workflows):  # type: ignore[misc, valid-type]
        def before_call(self, case: schemathesis.Case) -> None:
            if not isinstance(case.body, dict):
                return
            if case.operation.label == REGISTER and "birth_date" in case.body:
                case.body["birth_date"] = _adult_birth_date()
            if case.operation.label == CREATE_COHORT:
                for field, org_id in (
                    ("training_provider_org_id", Providers.training),
                    ("support_provider_org_id", Providers.support),
                ):
                    if field in case.body:
                        case.body[field] = str(org_id)
            # A link gives a member's cohort, not the person: one registered earlier in the run, when there is one.
            if case.operation.label == ADD_MEMBER and "beneficiary_id" in case.body and people:
                case.body["beneficiary_id"] = people[-1]

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, Any]:
            # A copy: the transport adds its own headers to the dictionary it is given.
            return {"app": workflows_app, "headers": dict(operator)}

        def validate_response(
            self, response: Any, case: schemathesis.Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            label = case.operation.label
            answers[(label, response.status_code)] += 1
            if response.status_code < 300:
                if label in (REGISTER, CREATE_COHORT):
                    made.add(str(response.json()["id"]))
                    if label == REGISTER:
                        people.append(str(response.json()["id"]))
                elif made & {str(value) for value in (case.path_parameters or {}).values()}:
                    followed[label] += 1
            try:
                case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
            except Exception as failure:  # every failure of the run, reported together below
                # Not raised: the service's state outlives a scenario, so hypothesis could not replay one to
                # shrink it (it would report its own flakiness instead of the service's failure).
                failures.append(f"{label} -> {response.status_code}\n{case.as_curl_command()}\n{failure}")

    # Hypothesis stops the run when the service's state (which outlives a scenario) makes a scenario draw otherwise
    # than an earlier one with the same start, as in schemathesis's own runner. Every answer received is still
    # checked, and the run must have gone far enough (below).
    with contextlib.suppress(FlakyStrategyDefinition):
        run_state_machine_as_test(
            EnrolmentWorkflows,
            settings=settings(
                max_examples=SCENARIOS,
                stateful_step_count=STEPS,
                # As schemathesis runs its own stateful phase: generation only, no replay of a stateful scenario.
                phases=[Phase.generate],
                deadline=None,
                database=None,
                derandomize=os.environ.get("HOPE_SCHEMATHESIS_RANDOM") is None,
                suppress_health_check=list(HealthCheck),
            ),
        )
    assert not failures, "\n\n".join(failures)
    # The workflows were walked: people and cohorts were made, and later steps succeeded with their ids.
    created = {label for label, status in answers if status == 201}
    assert {REGISTER, CREATE_COHORT} <= created, sorted(answers.items())
    assert len(followed) >= 4, (followed, sorted(answers.items()))
