"""AKTO's member companies: they register, pledge places by sector and region (the demand cohorts are formed
from), sign and start work-study contracts with the people of step 4."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from hope_infra.demo.gateway import Refused, idempotency_key
from hope_infra.demo.partners import Partner

EMPLOYMENT = "/api/employment/v1"
ALREADY_REGISTERED = {"urn:hope:problem:organisation-already-linked", "urn:hope:problem:siret-known"}
# A commune of each region's main city (INSEE code), where the employer's establishment is.
COMMUNE_OF_REGION = {
    "11": "75056",
    "24": "45234",
    "27": "21231",
    "28": "76540",
    "32": "59350",
    "44": "67482",
    "52": "44109",
    "53": "35238",
    "75": "33063",
    "76": "31555",
    "84": "69123",
    "93": "13055",
}


def _check_digit(head: str) -> str:
    """The digit that makes ``head`` + digit pass the Luhn check."""
    for digit in "0123456789":
        total = 0
        for position, char in enumerate(reversed(head + digit)):
            value = int(char) * (2 if position % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return digit
    raise AssertionError("a Luhn check digit always exists")


def siret(rng: random.Random) -> str:
    """A well-formed SIRET: a Luhn-valid SIREN and a Luhn-valid whole."""
    siren = (head := f"{rng.randint(10**7, 10**8 - 1)}") + _check_digit(head)
    nic = f"{rng.randint(1, 9999):04d}"
    return siren + nic + _check_digit(siren + nic)


@dataclass(frozen=True)
class Employer:
    partner: Partner
    employer_id: str
    establishment_id: str
    sector_code: str
    region: str


async def register(partner: Partner, sector: str, region: str, places: int, today: date, run: str) -> Employer:
    client, siret_number = partner.client, partner.spec.siret
    body = {
        "siret": siret_number,
        "name": partner.name,
        "naf_code": "4399C",
        "akto_member": True,
        "sector_codes": [sector],
        "org_id": partner.org_id,
    }
    try:
        employer = await client.post(
            f"{EMPLOYMENT}/employers", body, key=idempotency_key(run, "employer", siret_number)
        )
    except Refused as refused:
        if refused.problem.get("type") not in ALREADY_REGISTERED:
            raise
        # Registered by an earlier run: an employer sees only itself.
        employer = (await client.items(f"{EMPLOYMENT}/employers"))[0]
    employer_id = str(employer["id"])
    establishment = await client.post(
        f"{EMPLOYMENT}/employers/{employer_id}/establishments",
        {"commune_code": COMMUNE_OF_REGION[region]},
        key=idempotency_key(run, "establishment", employer_id),
    )
    pledge = {
        "sector_code": sector,
        "region_code": region,
        "places": places,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=365)).isoformat(),
    }
    await client.post(
        f"{EMPLOYMENT}/employers/{employer_id}/pledges", pledge, key=idempotency_key(run, "pledge", employer_id)
    )
    return Employer(partner, employer_id, str(establishment["id"]), sector, region)


async def sign_work_study(employer: Employer, beneficiary_id: str, starts_on: date, run: str) -> str:
    """A professionalisation contract of a year from the start of step 4, with a month's trial, started."""
    ends_on = starts_on + timedelta(days=365)
    body = {
        "employer_id": employer.employer_id,
        "establishment_id": employer.establishment_id,
        "beneficiary_id": beneficiary_id,
        "contract_type": "professionalisation",
        "starts_on": starts_on.isoformat(),
        "planned_end_on": ends_on.isoformat(),
        "hours_per_week": "35",
        "tutor_ref": f"tutor-{employer.employer_id[:8]}",
        "trial_ends_on": (starts_on + timedelta(days=30)).isoformat(),
    }
    client = employer.partner.client
    contract = await client.post(f"{EMPLOYMENT}/contracts", body, key=idempotency_key(run, "contract", beneficiary_id))
    contract_id = str(contract["id"])
    if contract.get("status") != "active":
        await client.act(
            f"{EMPLOYMENT}/contracts/{contract_id}/start",
            {"on": starts_on.isoformat()},
            key=idempotency_key(run, "contract-start", contract_id),
        )
    return contract_id
