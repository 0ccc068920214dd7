"""OFII registers refugees and records step 1: the OFII French hours and the attested A1 level."""

from __future__ import annotations

from datetime import date

from hope_infra.demo.gateway import Refused, idempotency_key
from hope_infra.demo.partners import Partner
from hope_infra.demo.people import Person
from hope_infra.demo.waiting import eventually

ENROLMENT = "/api/enrolment/v1"


class AlreadyRegistered(Exception):
    """Enrolment found this person registered already (same names and birth date): someone else's record."""


async def register(ofii: Partner, person: Person, run: str) -> str:
    body = person.registration()
    try:
        made = await ofii.client.post(f"{ENROLMENT}/beneficiaries", body, key=idempotency_key(run, "register", body))
    except Refused as refused:
        if refused.problem.get("type") == "urn:hope:problem:duplicate-beneficiary":
            raise AlreadyRegistered from refused
        raise
    return str(made["id"])


async def record_step_one(ofii: Partner, beneficiary_id: str, ofii_hours: int, attested_on: date, run: str) -> None:
    """Step 1 started, then validated with the hours done and the A1 attestation; training learns the level."""
    path = f"{ENROLMENT}/beneficiaries/{beneficiary_id}/pathway"
    await ofii.client.act(
        f"{path}/transitions", {"action": "start_prerequisites"}, key=idempotency_key(run, "step1", beneficiary_id)
    )
    evidence = f"OFII-A1-{beneficiary_id[:8]}"
    attestation = {"attested_on": attested_on.isoformat(), "test": "DILF", "evidence_reference": evidence}
    await ofii.client.act(
        f"{path}/prerequisites",
        {"ofii_hours": str(ofii_hours), "attestation": attestation},
        key=idempotency_key(run, "prerequisites", beneficiary_id),
    )
    assessment = {
        "beneficiary_id": beneficiary_id,
        "skill": "overall",
        "level": "A1",
        "test": "DILF",
        "assessed_on": attested_on.isoformat(),
        "evidence_reference": evidence,
    }

    async def attest() -> None:
        await ofii.client.post(
            "/api/training/v1/assessments", assessment, key=idempotency_key(run, "a1", beneficiary_id)
        )

    # Training learns whom this office registered from enrolment's event; until then the person is not its own.
    await eventually(attest, what=f"training knows {beneficiary_id}", pending=lambda refused: refused.status == 403)
