"""The e2e cohort: twelve people whose path is written out, so that each service's answer can be foreseen."""

from __future__ import annotations

import random
from datetime import date

from hope_infra.demo.fates import Fate
from hope_infra.demo.people import Person, draw_person

WITHDRAWS, ABSENT, FAILS, ERASED = 0, 1, 2, 5
FATES = [
    Fate(withdraws="moved_away"),
    Fate(absent_streak=True, french_level="A2", outcome="work_study"),
    Fate(qualified=False, outcome="job_search"),
    Fate(outcome="cdi"),
    Fate(outcome="cdd_6m_plus"),
    Fate(outcome="work_study", french_level="B2"),
    Fate(outcome="interim"),
    Fate(outcome="training", french_level="A2"),
    Fate(outcome="work_study"),
    Fate(outcome="work_study"),
    Fate(outcome="cdi"),
    Fate(outcome="work_study", qualified=False),
]
# The person whose erasure is followed through every service: a name no one else in the cohort has.
ERASED_PERSON = Person(
    given_name="Shukria",
    family_name="Hashimi-Durrani",
    birth_date=date(1991, 3, 17),
    nationality="AFG",
    protection_status="refugee",
    ofii_number="7319046582",
)


def people(today: date) -> list[Person]:
    rng = random.Random(20261202)
    drawn = [draw_person(rng, today) for _ in FATES]
    drawn[ERASED] = ERASED_PERSON
    return drawn
