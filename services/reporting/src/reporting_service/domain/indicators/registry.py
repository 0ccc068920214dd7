"""The registry: every indicator with its id, version, definition in French and English, numerator,
denominator, the date that places it in a period, and the rule that computes it (``code``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reporting_service.domain.indicators import rules
from reporting_service.domain.indicators.facts import FOLLOW_UP_MONTHS, ON_THE_PATH

Kind = Literal["breakdown", "duration", "attendance", "money", "cost", "count"]
Text = tuple[str, str]  # (French, English)


@dataclass(frozen=True)
class Indicator:
    id: str
    version: int
    kind: Kind
    title: Text
    definition: Text
    numerator: Text
    denominator: Text
    dated_by: Text
    categories: tuple[str, ...]
    rule: rules.Rule
    # Categories whose share of the group is the headline figure (a rate); empty when there is none.
    headline: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return f"{rules.__name__}.{self.rule.__name__}"


_LEAVERS = (
    "personnes sorties du parcours (abandon ou fin) après avoir commencé l'étape 3",
    "people who left the path (withdrawn or completed) after starting step 3",
)
_EMPLOYED = "cdi, cdd_6m_plus, interim, work_study"
# Version 2 of the money indicators: support costs count in what was consumed (funding's support_cost.recorded).
_CONSUMED = (
    "le consommé comprend les heures de formation et les coûts d'accompagnement (nuits d'hébergement, repas, "
    "mois d'accompagnement) imputés aux lignes des financeurs",
    "consumed includes training hours and support costs (housing nights, meals, support person-months) posted "
    "to the funders' lines",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "entries",
        1,
        "breakdown",
        ("Entrées", "Entries"),
        ("Personnes inscrites dans le programme.", "People registered in the programme."),
        ("personnes inscrites", "people registered"),
        ("sans objet", "none"),
        ("date d'inscription", "registration date"),
        ("entered",),
        rules.entries,
    ),
    Indicator(
        "people_per_step",
        1,
        "breakdown",
        ("Personnes par étape", "People per step"),
        (
            "Personnes encore dans le parcours, par statut actuel (en pause compris), "
            "parmi les inscrits de la période.",
            "People still on the path, by current status (on hold included), among those registered in the period.",
        ),
        ("personnes dans l'étape", "people in the step"),
        ("personnes encore dans le parcours", "people still on the path"),
        ("date d'inscription", "registration date"),
        ON_THE_PATH,
        rules.people_per_step,
    ),
    Indicator(
        "time_in_step",
        1,
        "duration",
        ("Durée de chaque étape", "Time spent in each step"),
        (
            "Jours entre le début et la fin de chaque étape terminée : médiane et 90e centile (interpolés).",
            "Days between the start and the end of each completed step: median and 90th percentile (interpolated).",
        ),
        ("jours passés dans l'étape", "days spent in the step"),
        ("étapes terminées", "completed steps"),
        ("date de fin de l'étape", "date the step ended"),
        ("step_1", "step_2", "step_3", "step_4"),
        rules.time_in_step,
    ),
    Indicator(
        "dropouts_by_reason",
        1,
        "breakdown",
        ("Abandons par motif", "Dropouts by reason"),
        (
            "Personnes sorties du parcours par abandon, par motif publié (un motif de santé est publié « personal »).",
            "People withdrawn from the path, by published reason (a health reason is published as 'personal').",
        ),
        ("abandons du motif", "withdrawals with the reason"),
        ("abandons", "withdrawals"),
        ("date de l'abandon", "withdrawal date"),
        ("employment_found", "moved_away", "personal", "excluded", "other"),
        rules.dropouts_by_reason,
    ),
    Indicator(
        "attendance_rate",
        1,
        "attendance",
        ("Taux d'assiduité", "Attendance rate"),
        (
            "Heures de présence sur heures des séances enregistrées pour la personne (absences excusées ou non).",
            "Hours present over the hours of the sessions recorded for the person (excused or not).",
        ),
        ("heures de présence", "hours present"),
        ("heures des séances enregistrées", "hours of recorded sessions"),
        ("mois des séances", "month of the sessions"),
        ("attended",),
        rules.attendance_rate,
    ),
    Indicator(
        "french_certification",
        1,
        "breakdown",
        ("Certification en français", "French certification"),
        (
            "Niveau CECRL global attesté à la fin de l'étape 3 (dernier test au plus tard ce jour-là), pour des "
            "personnes entrées au niveau A1 ; le taux est la part ayant dépassé A1.",
            "Overall CEFR level attested at the end of step 3 (latest test on or before that day), for people who "
            "entered at A1; the rate is the share beyond A1.",
        ),
        ("personnes au niveau A2 ou plus", "people at A2 or above"),
        ("personnes ayant terminé l'étape 3", "people who completed step 3"),
        ("date de fin de l'étape 3", "date step 3 ended"),
        ("A1_or_below", "A2", "B1", "B2_or_above", "not_assessed"),
        rules.french_certification,
        headline=("A2", "B1", "B2_or_above"),
    ),
    Indicator(
        "trade_qualification",
        1,
        "breakdown",
        ("Qualification professionnelle", "Trade qualification"),
        (
            "Résultat de la qualification de l'étape 4 : obtenue, partiellement, échec ; le taux est la part obtenue.",
            "Result of step 4's qualification: awarded, partially awarded, failed; the rate is the share awarded.",
        ),
        ("qualifications obtenues", "qualifications awarded"),
        ("résultats de qualification", "qualification results"),
        ("date du résultat", "date of the result"),
        ("awarded", "partially_awarded", "failed"),
        rules.trade_qualification,
        headline=("awarded",),
    ),
    Indicator(
        "employment_at_exit",
        1,
        "breakdown",
        ("Emploi à la sortie", "Employment at exit"),
        (
            f"Part des {_LEAVERS[0]} dont le résultat de sortie est {_EMPLOYED} (DESIGN §7). "
            "Sans résultat : part à part.",
            f"Share of {_LEAVERS[1]} whose exit outcome is {_EMPLOYED} (DESIGN §7). No outcome: its own share.",
        ),
        (f"sortants en emploi ({_EMPLOYED})", f"leavers employed ({_EMPLOYED})"),
        _LEAVERS,
        ("date de sortie du parcours", "date the person left the path"),
        ("employed", "not_employed", "no_outcome"),
        rules.employment_at_exit,
        headline=("employed",),
    ),
    *(
        Indicator(
            f"employment_at_{months}_months",
            1,
            "breakdown",
            (f"Emploi à {months} mois", f"Employment at {months} months"),
            (
                f"Part des {_LEAVERS[0]} depuis au moins {months} mois, en emploi ({_EMPLOYED}) au suivi à {months} "
                "mois ; injoignables et suivis non saisis restent au dénominateur, chacun en part propre.",
                f"Share of {_LEAVERS[1]} at least {months} months ago, employed ({_EMPLOYED}) at the {months}-month "
                "follow-up; unreachable people and unrecorded follow-ups stay in the denominator, each its own share.",
            ),
            ("sortants en emploi au suivi", "leavers employed at the follow-up"),
            (f"{_LEAVERS[0]} depuis {months} mois ou plus", f"{_LEAVERS[1]} {months} months ago or more"),
            ("date de sortie du parcours", "date the person left the path"),
            ("employed", "not_employed", "unreachable", "not_recorded"),
            rules.employment_after(months),
            headline=("employed",),
        )
        for months in FOLLOW_UP_MONTHS
    ),
    Indicator(
        "money_by_funder",
        3,
        "money",
        ("Financements par financeur", "Money per funder"),
        (
            "Montants engagés, consommés, demandés et payés à ce jour, pour les personnes inscrites dans la "
            "période ; l'engagé est, comme au grand livre du financement, ce qui reste engagé plus tout ce qui a "
            "été consommé (y compris au-delà d'un engagement, pris sur le disponible de la ligne), soit les "
            "engagements faits, moins les libérations, plus le consommé au-delà des engagements ; "
            f"{_CONSUMED[0]} ; par financeur avec by=funder.",
            "Amounts committed, consumed, claimed and paid to date, for the people registered in the period; "
            "committed is, as in funding's ledger, what is still committed plus everything consumed (consumption "
            "beyond a commitment, drawn from the line's available money, included): the commitments made, less "
            f"those released, plus what was consumed beyond them; {_CONSUMED[1]}; per funder with by=funder.",
        ),
        ("euros", "euros"),
        ("personnes financées", "people financed"),
        ("date d'inscription", "registration date"),
        ("financed",),
        rules.money_by_funder,
    ),
    Indicator(
        "cost_per_person",
        2,
        "cost",
        ("Coût par personne", "Cost per person"),
        (
            "Montant consommé pour les personnes financées inscrites dans la période, divisé par leur nombre, et "
            f"par le nombre d'entre elles en emploi à la sortie ; {_CONSUMED[0]}.",
            "Amount consumed for the financed people registered in the period, divided by their number, and by "
            f"the number of them employed at exit; {_CONSUMED[1]}.",
        ),
        ("euros consommés", "euros consumed"),
        (
            "personnes financées ; personnes financées en emploi à la sortie",
            "people financed; people financed employed at exit",
        ),
        ("date d'inscription", "registration date"),
        ("employed", "not_employed"),
        rules.cost_per_person,
    ),
    Indicator(
        "people_without_housing",
        1,
        "breakdown",
        ("Personnes sans hébergement", "People without a housing placement"),
        (
            "Personnes encore dans le parcours (en pause compris), parmi les inscrites de la période, sans "
            "hébergement couvrant la nuit du jour où les chiffres sont complets ; le taux est la part sans "
            "hébergement. Par cohorte avec by=cohort.",
            "People still on the path (on hold included), among those registered in the period, with no housing "
            "placement covering the night of the day the figures are complete to; the rate is the share without "
            "one. Per cohort with by=cohort.",
        ),
        ("personnes sans hébergement", "people without a housing placement"),
        ("personnes encore dans le parcours", "people still on the path"),
        ("date d'inscription", "registration date"),
        ("housed", "not_housed"),
        rules.people_without_housing,
        headline=("not_housed",),
    ),
    Indicator(
        "work_study_contracts",
        1,
        "count",
        ("Contrats en alternance signés", "Work-study contracts signed"),
        (
            "Contrats en alternance signés dans la période, par type ; par secteur avec by=sector. Chaque contrat "
            "compte dans « contracts » ; une personne qui en signe deux d'un même type compte une fois dans ce type.",
            "Work-study contracts signed in the period, by type; per sector with by=sector. Each contract counts in "
            "'contracts'; a person who signs two of one type counts once in that type.",
        ),
        ("contrats signés", "contracts signed"),
        ("personnes ayant signé un contrat", "people who signed a contract"),
        ("date de signature", "signing date"),
        ("apprenticeship", "professionalisation", "cdpi", "cddi", "other"),
        rules.work_study_contracts,
    ),
)

BY_ID = {indicator.id: indicator for indicator in INDICATORS}
# What an answer may be grouped by; ``funder`` only for money.
DIMENSIONS = ("region", "sector", "cohort", "provider", "track", "month", "funder")
