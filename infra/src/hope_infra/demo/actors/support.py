"""Support providers (AFPA, ETTI): the support file opened at step 3, the needs they find, the beds they give,
and at the end the exit outcome and the 3/6/12-month follow-ups."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hope_infra.demo.gateway import idempotency_key
from hope_infra.demo.partners import Partner
from hope_infra.demo.waiting import NotYet, eventually

SUPPORT, EMPLOYMENT = "/api/support/v1", "/api/employment/v1"
# What a newcomer most often needs in the first weeks (taxonomy codes), medical needs aside.
FIRST_NEEDS = ("administrative.caf", "administrative.bank_account", "professional.cv", "housing.accommodation")


async def support_file(supporter: Partner, beneficiary_id: str) -> dict[str, Any]:
    """The file support opened when the person started step 3 (support learns it from enrolment's events)."""

    async def opened() -> dict[str, Any]:
        files = (await supporter.client.get(f"{SUPPORT}/files", beneficiary_id=beneficiary_id))["items"]
        if not files:
            raise NotYet
        found: dict[str, Any] = files[0]
        return found

    return await eventually(opened, what=f"support file of {beneficiary_id}")


async def open_needs(supporter: Partner, file_id: str, codes: tuple[str, ...], due_on: date, run: str) -> list[str]:
    made = []
    for code in codes:
        need = await supporter.client.post(
            f"{SUPPORT}/files/{file_id}/needs",
            {"code": code, "priority": "normal", "due_on": due_on.isoformat()},
            key=idempotency_key(run, "need", file_id, code),
        )
        made.append(str(need["id"]))
    return made


async def resolve(supporter: Partner, need_id: str, run: str) -> None:
    await supporter.client.act(f"{SUPPORT}/needs/{need_id}/resolve", key=idempotency_key(run, "resolve", need_id))


async def open_residence(
    supporter: Partner, label: str, commune: str, beds: int, period: tuple[date, date], run: str
) -> list[str]:
    """A residence with rooms of two beds, open over the period: its beds' ids."""
    rooms = [{"room": f"{n + 1:03d}", "beds": min(2, beds - 2 * n)} for n in range((beds + 1) // 2)]
    body = {
        "label": label,
        "commune_code": commune,
        "department_code": commune[:2],
        "open_periods": [{"starts_on": period[0].isoformat(), "ends_on": period[1].isoformat()}],
        "rooms": rooms,
    }
    residence = await supporter.client.post(f"{SUPPORT}/residences", body, key=idempotency_key(run, "residence", label))
    return [str(bed["id"]) for bed in residence["beds"]]


async def house(supporter: Partner, beneficiary_id: str, bed_id: str, nights: tuple[date, date], run: str) -> str:
    body = {
        "beneficiary_id": beneficiary_id,
        "bed_id": bed_id,
        "starts_on": nights[0].isoformat(),
        "ends_on": nights[1].isoformat(),
    }
    placement = await supporter.client.post(
        f"{SUPPORT}/placements", body, key=idempotency_key(run, "placement", beneficiary_id)
    )
    return str(placement["id"])


async def record_outcome(
    supporter: Partner, beneficiary_id: str, outcome: str, exit_on: date, employer_id: str | None, run: str
) -> None:
    body: dict[str, Any] = {
        "beneficiary_id": beneficiary_id,
        "outcome_code": outcome,
        "exit_on": exit_on.isoformat(),
        "evidence_source": "employer_confirmation" if employer_id else "beneficiary_statement",
    }
    if employer_id:
        body |= {"employer_id": employer_id, "weekly_hours": "35"}
    await supporter.client.post(f"{EMPLOYMENT}/outcomes", body, key=idempotency_key(run, "outcome", beneficiary_id))


async def work_follow_ups(
    supporter: Partner, beneficiary_id: str, today: date, still: str, run: str
) -> list[dict[str, Any]]:
    """Every follow-up of the person now due (within the 15 days before its date) answered with what the person
    says; the later ones are left for their day. Returns the person's follow-ups as they stand."""
    mine = [
        f for f in await supporter.client.items(f"{EMPLOYMENT}/follow-ups") if f["beneficiary_id"] == beneficiary_id
    ]
    for follow_up in mine:
        if follow_up["status"] == "due" and date.fromisoformat(follow_up["due_on"]) - timedelta(days=15) <= today:
            observed = min(today, date.fromisoformat(follow_up["due_on"]))
            await supporter.client.act(
                f"{EMPLOYMENT}/follow-ups/{follow_up['id']}/complete",
                {
                    "outcome_code": still,
                    "evidence_source": "beneficiary_statement",
                    "observed_on": observed.isoformat(),
                },
                key=idempotency_key(run, "follow-up", follow_up["id"]),
            )
    return mine
