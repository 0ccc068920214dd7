"""The people a run registers: plausible identities of refugees in France, drawn from the run's seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# Most frequent nationalities among beneficiaries of international protection in France (ISO 3166 alpha-3),
# with given and family names common there.
ORIGINS = {
    "AFG": (("Ahmad", "Farid", "Mariam", "Zahra", "Hamid", "Nazia"), ("Rahimi", "Ahmadzai", "Karimi", "Noori")),
    "SDN": (("Mohamed", "Amna", "Osman", "Fatima", "Adam", "Hawa"), ("Abdallah", "Ibrahim", "Musa", "Yousif")),
    "SYR": (("Omar", "Lina", "Khaled", "Rania", "Yusuf", "Nour"), ("Haddad", "Khalil", "Sabbagh", "Darwish")),
    "ERI": (("Yonas", "Senait", "Dawit", "Helen", "Tesfay", "Selam"), ("Tesfamariam", "Gebremedhin", "Haile")),
    "GIN": (("Mamadou", "Aminata", "Ibrahima", "Fatoumata", "Alpha", "Mariama"), ("Diallo", "Barry", "Bah")),
    "UKR": (("Olena", "Andriy", "Iryna", "Dmytro", "Oksana", "Serhiy"), ("Shevchenko", "Kovalenko", "Bondarenko")),
    "CIV": (("Kouassi", "Adjoua", "Yao", "Affoué", "Koffi", "Awa"), ("Kouadio", "Konan", "Traoré", "Koné")),
    "TUR": (("Mehmet", "Ayşe", "Deniz", "Zeynep", "Kemal", "Elif"), ("Yilmaz", "Kaya", "Demir", "Çelik")),
}
PROTECTION = (("refugee", 70), ("subsidiary_protection", 27), ("stateless", 3))


@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    birth_date: date
    nationality: str
    protection_status: str
    ofii_number: str

    def registration(self) -> dict[str, object]:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birth_date": self.birth_date.isoformat(),
            "nationality": self.nationality,
            "protection_status": self.protection_status,
            "ofii_number": self.ofii_number,
        }


def weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def draw_person(rng: random.Random, today: date) -> Person:
    nationality = rng.choice(sorted(ORIGINS))
    given, family = ORIGINS[nationality]
    age_days = rng.randint(19 * 365, 52 * 365)
    return Person(
        given_name=rng.choice(given),
        family_name=rng.choice(family),
        birth_date=today - timedelta(days=age_days),
        nationality=nationality,
        protection_status=weighted(rng, PROTECTION),
        ofii_number=f"{rng.randint(10**9, 10**10 - 1)}",
    )
