"""Each indicator's definition on hand-made facts, edge cases included, through tabulation and suppression."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from reporting_service.domain.indicators.facts import (
    AttendanceMonth,
    FollowUp,
    HousingPlacement,
    Money,
    PersonFacts,
    WorkStudyContract,
)
from reporting_service.domain.indicators.figures import Row, publish, quantile, quantile_of_counts, tabulate
from reporting_service.domain.indicators.registry import BY_ID, INDICATORS

START, END, AS_OF = date(2020, 1, 1), date(2026, 12, 31), date(2026, 12, 1)


def person(**facts: object) -> PersonFacts:
    base = PersonFacts(uuid.uuid4(), {"region": "11", "track": "group"}, registered_on=date(2025, 1, 6))
    return replace(base, **facts)  # type: ignore[arg-type]


def many(count: int, **facts: object) -> list[PersonFacts]:
    return [person(**facts) for _ in range(count)]


def answer(indicator_id: str, people: list[PersonFacts], by: str = "region") -> tuple[list[Row], list[Row]]:
    indicator = BY_ID[indicator_id]
    table = tabulate(indicator, people, by, START, END, AS_OF)
    series = tabulate(indicator, people, "month", START, END, AS_OF)
    return publish(indicator, table, series)


def total(rows: list[Row]) -> Row:
    [row] = [row for row in rows if row.group == "total"]
    return row


LEFT_AFTER_STEP3 = {"step_started": {3: date(2025, 3, 1)}, "withdrawn_on": date(2025, 6, 2)}


def test_the_registry_says_every_indicator_in_french_and_english_with_its_code() -> None:
    assert len({i.id for i in INDICATORS}) == len(INDICATORS) == 15
    for indicator in INDICATORS:
        assert all(text[0] and text[1] and text[0] != text[1] for text in (indicator.title, indicator.definition))
        assert indicator.code.startswith("reporting_service.domain.indicators.rules.")
        assert set(indicator.headline) <= set(indicator.categories)


def test_employment_at_exit_counts_leavers_after_step_3_and_nobody_withdrawn_before_it() -> None:
    completed = {"step_started": {3: date(2025, 3, 1)}, "completed_on": date(2025, 12, 1)}
    people = (
        many(6, exit_outcome="cdi", **completed)
        + many(5, exit_outcome="interim", **LEFT_AFTER_STEP3)
        + many(5, exit_outcome="cdd_short", **completed)
        + many(5, **LEFT_AFTER_STEP3)  # left after step 3 with no outcome recorded: in the denominator
        + many(7, withdrawn_on=date(2025, 2, 1), step_started={1: date(2025, 1, 10)})  # before step 3: outside
        + many(4, step_started={3: date(2025, 3, 1)})  # still on the path: outside
    )
    row = total(answer("employment_at_exit", people)[0])
    assert row.categories == {"employed": 11, "not_employed": 5, "no_outcome": 5}
    assert row.people == 21
    assert row.figures["rate"] == Decimal("0.5238")


def test_employment_at_exit_counts_work_study_and_long_fixed_term_but_not_training_or_job_search() -> None:
    people = [
        person(exit_outcome=code, **LEFT_AFTER_STEP3)
        for code in ("work_study", "cdd_6m_plus", "training", "job_search", "other", "cdd_short")
        for _ in range(5)
    ]
    row = total(answer("employment_at_exit", people)[0])
    assert (row.categories["employed"], row.categories["not_employed"]) == (10, 20)


def test_a_follow_up_marked_unreachable_stays_in_the_denominator_as_its_own_share() -> None:
    employed, jobless = FollowUp("done", "cdi"), FollowUp("done", "job_search")
    people = (
        many(6, follow_ups={3: employed}, **LEFT_AFTER_STEP3)
        + many(5, follow_ups={3: jobless}, **LEFT_AFTER_STEP3)
        + many(5, follow_ups={3: FollowUp("unreachable")}, **LEFT_AFTER_STEP3)
        + many(5, **LEFT_AFTER_STEP3)  # due, nobody recorded it
        + many(9, step_started={3: date(2026, 9, 1)}, withdrawn_on=date(2026, 10, 1))  # 3 months not passed yet
    )
    row = total(answer("employment_at_3_months", people)[0])
    assert row.categories == {"employed": 6, "not_employed": 5, "unreachable": 5, "not_recorded": 5}
    assert row.figures["rate"] == Decimal("0.2857")
    assert total(answer("employment_at_12_months", people)[0]).categories["not_recorded"] == 21


def test_time_in_step_gives_the_median_and_the_90th_percentile_of_completed_steps() -> None:
    people = [
        person(step_started={3: date(2025, 1, 1)}, step_completed={3: date(2025, 1, 1) + timedelta(days=days)})
        for days in (10, 20, 30, 40, 50)
    ] + many(3, step_started={4: date(2025, 1, 1)})  # step 4 not completed: not counted
    row = total(answer("time_in_step", people)[0])
    assert row.categories["step_3"] == 5
    assert row.figures["step_3_median_days"] == Decimal("30.0")
    assert row.figures["step_3_p90_days"] == Decimal("46.0")
    assert row.categories["step_4"] == 0


def test_dropouts_are_counted_by_reason_and_a_small_reason_is_suppressed_with_another() -> None:
    people = (
        many(8, withdrawn_on=date(2025, 4, 1), withdrawal_reason="employment_found")
        + many(2, withdrawn_on=date(2025, 4, 1), withdrawal_reason="excluded")
        + many(6, withdrawn_on=date(2025, 4, 1), withdrawal_reason="moved_away")
    )
    row = total(answer("dropouts_by_reason", people)[0])
    assert row.people == 16
    assert row.categories["excluded"] is None
    assert row.categories["personal"] == 0
    assert sum(value is None for value in row.categories.values()) >= 2


def test_the_attendance_rate_is_hours_present_over_hours_recorded() -> None:
    month = {date(2025, 3, 1): AttendanceMonth(Decimal("100.00"), Decimal("80.00"))}
    poor = {date(2025, 3, 1): AttendanceMonth(Decimal("100.00"), Decimal("50.00"))}
    people = many(4, attendance=month) + many(1, attendance=poor) + many(3, attendance={})
    row = total(answer("attendance_rate", people)[0])
    assert row.people == 5
    assert row.figures["rate"] == Decimal("0.7400")


def test_french_certification_reads_the_level_attested_at_the_end_of_step_3() -> None:
    done = {"step_completed": {3: date(2025, 6, 1)}}
    people = (
        many(5, level_after_step3="A2", **done)
        + many(5, level_after_step3="B1", **done)
        + many(5, level_after_step3="A1", **done)
        + many(5, **done)
        + many(6, level_after_step3="B1")  # step 3 not ended
    )
    row = total(answer("french_certification", people)[0])
    assert row.categories == {"A1_or_below": 5, "A2": 5, "B1": 5, "B2_or_above": 0, "not_assessed": 5}
    assert row.figures["rate"] == Decimal("0.5000")


def test_trade_qualification_counts_awarded_partially_and_failed() -> None:
    on = date(2025, 9, 1)
    people = (
        many(7, qualification_result="awarded", qualification_on=on)
        + many(5, qualification_result="partially_awarded", qualification_on=on)
        + many(5, qualification_result="failed", qualification_on=on)
    )
    row = total(answer("trade_qualification", people)[0])
    assert row.categories == {"awarded": 7, "partially_awarded": 5, "failed": 5}
    assert row.figures["rate"] == Decimal("0.4118")


def test_money_is_summed_per_funder_in_decimal_and_a_funder_of_few_people_is_hidden() -> None:
    big, small, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    agreement = uuid.uuid4()
    paid = Money(big, agreement, Decimal("1000.10"), Decimal("600.05"), Decimal("500.00"), Decimal("400.00"))
    people = (
        many(9, money=(paid,))
        + many(2, money=(Money(small, uuid.uuid4(), Decimal("10.00")),))
        + many(6, money=(Money(other, uuid.uuid4(), Decimal("20.00")),))
    )
    rows, _ = answer("money_by_funder", people, by="funder")
    by_funder = {row.group: row for row in rows}
    assert by_funder[str(big)].figures == {
        "committed": Decimal("9000.90"),
        "consumed": Decimal("5400.45"),
        "claimed": Decimal("4500.00"),
        "paid": Decimal("3600.00"),
    }
    assert by_funder[str(small)].figures["committed"] is None
    assert by_funder[str(other)].figures["committed"] is None, "else the small funder is the total minus the others"
    assert by_funder["total"].figures["committed"] == Decimal("9140.90")


def test_the_money_definitions_say_support_costs_count_in_what_was_consumed() -> None:
    for indicator_id in ("money_by_funder", "cost_per_person"):
        indicator = BY_ID[indicator_id]
        french, english = indicator.definition
        assert "nuits d'hébergement, repas" in french, indicator_id
        assert "housing nights, meals" in english, indicator_id
        assert indicator.version >= 2, "the figures changed: a new version of the definition"


def test_money_committed_means_what_funding_ledger_means_in_its_definition_and_version() -> None:
    indicator = BY_ID["money_by_funder"]
    french, english = indicator.definition
    assert "au-delà d'un engagement" in french
    assert "consumption beyond a commitment" in english
    assert indicator.version == 3, "committed counts what was consumed beyond a commitment since version 3"


def test_cost_per_person_and_per_person_employed_are_decimal_euros() -> None:
    money = (Money(uuid.uuid4(), uuid.uuid4(), consumed=Decimal("1000.00")),)
    people = many(5, money=money, exit_outcome="cdi", **LEFT_AFTER_STEP3) + many(
        10, money=money, exit_outcome="job_search", **LEFT_AFTER_STEP3
    )
    row = total(answer("cost_per_person", people)[0])
    assert row.figures == {"cost_per_person": Decimal("1000.00"), "cost_per_person_employed": Decimal("3000.00")}


def test_people_per_step_now_counts_current_statuses_and_not_those_who_left() -> None:
    people = (
        many(5, status="french_qualification")
        + many(6, status="on_hold")
        + many(5, status="withdrawn", withdrawn_on=date(2025, 2, 1))
    )
    row = total(answer("people_per_step", people)[0])
    assert (row.people, row.categories["french_qualification"], row.categories["on_hold"]) == (11, 5, 6)


def test_a_region_of_three_people_is_hidden_and_cannot_be_had_from_the_national_total() -> None:
    people = many(3, dimensions={"region": "94"}) + many(20) + many(9, dimensions={"region": "84"})
    rows, series = answer("entries", people)
    shown = {row.group: row.people for row in rows}
    assert shown["94"] is None
    assert shown["84"] is None, "the smallest other region is hidden with it"
    assert shown["total"] == 32
    assert [row.people for row in series] == [32, 32], "one month, and the total"


def test_the_period_keeps_only_what_happened_between_from_and_to() -> None:
    people = many(5, registered_on=date(2024, 12, 31)) + many(6, registered_on=date(2025, 1, 1))
    indicator = BY_ID["entries"]
    table = tabulate(indicator, people, "region", date(2025, 1, 1), date(2025, 1, 31), AS_OF)
    assert table.cells[("11", "entered")].people == 6


def test_quantiles_of_a_histogram_are_those_of_the_values_it_counts() -> None:
    chance = random.Random(5)
    for size in (1, 2, 3, 10, 101):
        values = [Decimal(chance.randrange(0, 40)) for _ in range(size)]
        for q in (Decimal(0), Decimal("0.5"), Decimal("0.9"), Decimal(1)):
            assert quantile_of_counts(Counter(values), q) == quantile(values, q), (values, q)
    assert quantile_of_counts({Decimal(3): 1, Decimal(10): 1}, Decimal("0.5")) == Decimal("6.5")


def test_people_without_housing_counts_those_on_the_path_with_no_placement_covering_tonight() -> None:
    tonight = AS_OF

    def placed(starts: int, ends: int, released: int | None = None) -> tuple[HousingPlacement, ...]:
        released_on = tonight + timedelta(days=released) if released is not None else None
        return (HousingPlacement(tonight + timedelta(days=starts), tonight + timedelta(days=ends), released_on),)

    on_path = {"status": "french_qualification"}
    people = (
        many(6, housing=placed(-30, 30), **on_path)
        + many(2, housing=placed(-30, 0), **on_path)  # the last night was yesterday
        + many(2, housing=placed(-30, 30, released=0), **on_path)  # released today
        + many(1, housing=placed(1, 30), **on_path)  # comes tomorrow
        + many(1, housing=(HousingPlacement(None, None, tonight),), **on_path)  # released, never assigned
        + many(5, status="on_hold")
        + many(4, housing=(), status="withdrawn")  # left the path: outside
    )
    row = total(answer("people_without_housing", people)[0])
    assert (row.people, row.categories["housed"], row.categories["not_housed"]) == (17, 6, 11)
    assert row.figures == {"rate": Decimal("0.6471")}
    by_cohort = {r.group: r for r in answer("people_without_housing", many(3, status="on_hold"), by="cohort")[0]}
    assert by_cohort["unknown"].people is None, "three people: suppressed"


def test_work_study_contracts_count_each_contract_and_each_person_once_per_type() -> None:
    def signed(*types: str) -> tuple[WorkStudyContract, ...]:
        return tuple(WorkStudyContract(kind, date(2025, 9, 1)) for kind in types)

    people = (
        many(4, contracts=signed("apprenticeship", "apprenticeship"), dimensions={"sector": "logistics"})
        + many(2, contracts=signed("apprenticeship"), dimensions={"sector": "logistics"})
        + many(5, contracts=signed("professionalisation"), dimensions={"sector": "logistics"})
        + many(7, contracts=signed("apprenticeship"), dimensions={"sector": "construction"})
        + many(3, contracts=(WorkStudyContract("apprenticeship", date(2019, 5, 1)),))  # before the period
        + many(5)  # no contract
    )
    rows, series = answer("work_study_contracts", people, by="sector")
    by_sector = {row.group: row for row in rows}
    logistics = by_sector["logistics"]
    assert (logistics.categories["apprenticeship"], logistics.categories["professionalisation"]) == (6, 5)
    assert logistics.figures == {"contracts": Decimal(15)}, "four people signed two each"
    assert by_sector["construction"].figures == {"contracts": Decimal(7)}
    assert total(rows).figures == {"contracts": Decimal(22)}
    assert [row.group for row in series] == ["2025-09", "total"]


def test_a_table_by_month_published_as_its_own_series_is_protected_as_two_equal_tables_are() -> None:
    chance = random.Random(11)  # months of a few people each: small cells, hidden totals, complements
    people = [
        person(registered_on=date(2025, 1, 6) + timedelta(days=chance.randrange(200)), dimensions={"region": "11"})
        for _ in range(25)
    ]
    indicator = BY_ID["entries"]
    table = tabulate(indicator, people, "month", START, END, AS_OF)
    alike = tabulate(indicator, people, "month", START, END, AS_OF)
    once = publish(indicator, table, table)
    assert once == publish(indicator, table, alike)
    assert any(row.suppressed for row in once[0]), "some months hold fewer than five people"
