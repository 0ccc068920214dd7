"""One cohort's path told in the events of every service, for the read models' tests: two people, one who goes
to the end and into a job, one who withdraws in step 3; their sheets (one corrected), money, claim and payment,
support costs (housing, a support file, meals) on a region's agreement, needs, housing, alerts, language levels,
qualification, outcome and follow-ups."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from hope_contracts import EventContract, employment, enrolment, funding, support, training

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


def _id() -> uuid.UUID:
    return uuid.uuid4()


@dataclass
class Cohort:
    cohort_id: uuid.UUID = field(default_factory=_id)
    finisher: uuid.UUID = field(default_factory=_id)
    leaver: uuid.UUID = field(default_factory=_id)
    office: uuid.UUID = field(default_factory=_id)
    trainer: uuid.UUID = field(default_factory=_id)
    supporter: uuid.UUID = field(default_factory=_id)
    funder: uuid.UUID = field(default_factory=_id)
    funder_org: uuid.UUID = field(default_factory=_id)
    agreement: uuid.UUID = field(default_factory=_id)
    line: uuid.UUID = field(default_factory=_id)
    course: uuid.UUID = field(default_factory=_id)
    session: uuid.UUID = field(default_factory=_id)
    claim: uuid.UUID = field(default_factory=_id)
    # The region paying support costs (housing nights, support person-months, meals) on an agreement of its own.
    region_funder: uuid.UUID = field(default_factory=_id)
    support_agreement: uuid.UUID = field(default_factory=_id)
    housing_line: uuid.UUID = field(default_factory=_id)
    support_line: uuid.UUID = field(default_factory=_id)
    meals_line: uuid.UUID = field(default_factory=_id)
    placement: uuid.UUID = field(default_factory=_id)
    support_file: uuid.UUID = field(default_factory=_id)

    def events(self) -> list[EventContract]:
        return [
            *self._enrolment(),
            *self._training(),
            *self._support(),
            *self._funding(),
            *self._support_costs(),
            *self._employment(),
            *self._work_and_support(),
        ]

    def _work_and_support(self) -> list[EventContract]:
        """A work-study contract signed, started and broken in its trial, an immersion, a referral, two meal
        entitlements of one month (the later corrects the first), a consent given then withdrawn."""
        contract, employer = _id(), _id()
        return [
            employment.PlacementMade(
                placement_id=_id(),
                beneficiary_id=self.finisher,
                employer_id=employer,
                establishment_id=_id(),
                starts_on=date(2026, 5, 4),
                ends_on=date(2026, 5, 15),
                hours=Decimal(70),
                occurred_at=at(60),
            ),
            employment.ContractSigned(
                contract_id=contract,
                beneficiary_id=self.leaver,
                employer_id=employer,
                establishment_id=_id(),
                contract_type="professionalisation",
                starts_on=date(2026, 7, 1),
                planned_end_on=date(2027, 6, 30),
                hours_per_week=Decimal(35),
                trial_ends_on=date(2026, 8, 15),
                occurred_at=at(150),
            ),
            employment.ContractStarted(
                contract_id=contract, beneficiary_id=self.leaver, started_on=date(2026, 7, 1), occurred_at=at(160)
            ),
            employment.ContractEnded(
                contract_id=contract,
                beneficiary_id=self.leaver,
                employer_id=employer,
                status="broken",
                ended_on=date(2026, 7, 20),
                broken_by="employee",
                break_reason="resignation",
                during_trial=True,
                occurred_at=at(180),
            ),
            support.ReferralMade(
                referral_id=_id(),
                file_id=_id(),
                beneficiary_id=self.finisher,
                partner="caf",
                shares_information=False,
                occurred_at=at(20),
            ),
            support.MealsEntitled(
                beneficiary_id=self.finisher,
                month=date(2026, 4, 1),
                breakfasts=0,
                lunches=20,
                dinners=0,
                occurred_at=at(30),
            ),
            support.MealsEntitled(
                beneficiary_id=self.finisher,
                month=date(2026, 4, 1),
                breakfasts=0,
                lunches=22,
                dinners=0,
                occurred_at=at(31),
            ),
            enrolment.ConsentChanged(
                beneficiary_id=self.finisher, purpose="employer_contact", given=True, occurred_at=at(3)
            ),
            enrolment.ConsentChanged(
                beneficiary_id=self.finisher, purpose="employer_contact", given=False, occurred_at=at(300)
            ),
        ]

    def _enrolment(self) -> list[EventContract]:
        c = self.cohort_id
        found: list[EventContract] = [
            enrolment.CohortCreated(
                cohort_id=c,
                sector_code="logistics",
                region="84",
                track="group",
                training_provider_org_id=self.trainer,
                support_provider_org_id=self.supporter,
                capacity=12,
                calendar=(enrolment.StepPeriod(step=3, starts_on=date(2026, 3, 16), ends_on=date(2026, 6, 12)),),
                occurred_at=at(0),
            ),
            enrolment.CohortCalendarChanged(
                cohort_id=c,
                calendar=(
                    enrolment.StepPeriod(step=3, starts_on=date(2026, 3, 16), ends_on=date(2026, 6, 19)),
                    enrolment.StepPeriod(step=4, starts_on=date(2026, 6, 29)),
                ),
                occurred_at=at(3),
            ),
        ]
        for person in (self.finisher, self.leaver):
            found += [
                enrolment.BeneficiaryRegistered(
                    beneficiary_id=person,
                    track="group",
                    protection_status="refugee",
                    registered_by_org_id=self.office,
                    occurred_at=at(-60),
                ),
                enrolment.StepStarted(beneficiary_id=person, step=1, track="group", occurred_at=at(-59)),
                enrolment.PrerequisitesValidated(
                    beneficiary_id=person,
                    ofii_hours=Decimal("312.50"),
                    a1_attested_on=date(2026, 2, 20),
                    test="TCF",
                    occurred_at=at(-10),
                ),
                enrolment.StepCompleted(beneficiary_id=person, step=1, occurred_at=at(-10)),
                enrolment.StepStarted(beneficiary_id=person, step=2, track="group", occurred_at=at(-10)),
                enrolment.SectorChosen(beneficiary_id=person, sector_code="logistics", occurred_at=at(-5)),
                enrolment.CohortMemberAdded(cohort_id=c, beneficiary_id=person, occurred_at=at(1)),
                enrolment.StepCompleted(beneficiary_id=person, step=2, occurred_at=at(14)),
                enrolment.StepStarted(
                    beneficiary_id=person,
                    step=3,
                    track="group",
                    cohort_id=c,
                    sector_code="logistics",
                    occurred_at=at(14),
                ),
            ]
        found += [
            enrolment.BeneficiaryWithdrawn(
                beneficiary_id=self.leaver,
                reason="moved_away",
                from_status="french_qualification",
                last_step=3,
                occurred_at=at(30),
            ),
            enrolment.StepCompleted(beneficiary_id=self.finisher, step=3, occurred_at=at(110)),
            enrolment.StepStarted(
                beneficiary_id=self.finisher, step=4, track="group", cohort_id=c, occurred_at=at(119)
            ),
            enrolment.PathwayPutOnHold(
                beneficiary_id=self.finisher,
                from_status="trade_qualification",
                reason_code="personal",
                occurred_at=at(150),
            ),
            enrolment.PathwayResumed(
                beneficiary_id=self.finisher, to_status="trade_qualification", occurred_at=at(160)
            ),
            enrolment.StepCompleted(beneficiary_id=self.finisher, step=4, occurred_at=at(260)),
            enrolment.PathwayCompleted(beneficiary_id=self.finisher, occurred_at=at(262)),
        ]
        return found

    def _training(self) -> list[EventContract]:
        def sheet(
            status_of_leaver: training.AttendanceStatus, attended: str, day: float
        ) -> training.AttendanceRecorded:
            return training.AttendanceRecorded(
                session_id=self.session,
                course_id=self.course,
                step=3,
                cohort_id=self.cohort_id,
                held_on=date(2026, 3, 16),
                session_hours=Decimal("7.00"),
                session_kind="core",
                entries=(
                    training.AttendanceEntry(
                        beneficiary_id=self.finisher, status="present", hours_attended=Decimal("7.00")
                    ),
                    training.AttendanceEntry(
                        beneficiary_id=self.leaver, status=status_of_leaver, hours_attended=Decimal(attended)
                    ),
                ),
                occurred_at=at(day),
            )

        second = _id()
        return [
            training.CourseScheduled(
                course_id=self.course,
                step=3,
                cohort_id=self.cohort_id,
                provider_org_id=self.trainer,
                planned_hours=Decimal("400.00"),
                starts_on=date(2026, 3, 16),
                ends_on=date(2026, 6, 19),
                occurred_at=at(5),
            ),
            training.SessionsScheduled(
                course_id=self.course,
                step=3,
                cohort_id=self.cohort_id,
                sessions=tuple(
                    training.ScheduledSession(
                        session_id=session,
                        held_on=day,
                        starts_at=time(9),
                        ends_at=time(17),
                        hours=Decimal("7.00"),
                        session_kind="core",
                    )
                    for session, day in ((self.session, date(2026, 3, 16)), (second, date(2026, 4, 1)))
                ),
                occurred_at=at(6),
            ),
            sheet("present", "3.50", 14.5),  # the first sheet: the leaver left at noon
            sheet("unexcused", "0.00", 15),  # corrected: the leaver was not there at all
            training.AttendanceRecorded(
                session_id=second,
                course_id=self.course,
                step=3,
                cohort_id=self.cohort_id,
                held_on=date(2026, 4, 1),
                session_hours=Decimal("7.00"),
                session_kind="core",
                entries=(
                    training.AttendanceEntry(beneficiary_id=self.finisher, status="excused", hours_attended=Decimal(0)),
                ),
                occurred_at=at(30),
            ),
            training.AbsenceAlertRaised(
                alert_id=_id(),
                beneficiary_id=self.leaver,
                course_id=self.course,
                step=3,
                rule="consecutive_unexcused",
                consecutive_unexcused=3,
                occurred_at=at(20),
            ),
            training.LanguageLevelAttested(
                assessment_id=_id(),
                beneficiary_id=self.finisher,
                skill="overall",
                level="A2",
                test="TCF",
                assessed_on=date(2026, 6, 10),
                assessing_org_id=self.trainer,
                occurred_at=at(100),
            ),
            training.LanguageLevelAttested(
                assessment_id=_id(),
                beneficiary_id=self.finisher,
                skill="overall",
                level="B1",
                test="DELF",
                assessed_on=date(2026, 6, 18),
                assessing_org_id=self.trainer,
                occurred_at=at(108),
            ),
            training.CourseCompleted(
                course_id=self.course,
                beneficiary_id=self.finisher,
                step=3,
                cohort_id=self.cohort_id,
                planned_hours=Decimal("400.00"),
                attended_hours=Decimal("392.00"),
                hours_waived=False,
                occurred_at=at(109),
            ),
            training.QualificationAwarded(
                qualification_id=_id(),
                beneficiary_id=self.finisher,
                course_id=None,
                rncp_code="RNCP38415",
                result="awarded",
                awarded_on=date(2026, 11, 10),
                occurred_at=at(255),
            ),
        ]

    def _support(self) -> list[EventContract]:
        file_id, need, placement = self.support_file, _id(), self.placement
        return [
            support.SupportFileOpened(
                file_id=file_id,
                beneficiary_id=self.finisher,
                support_org_id=self.supporter,
                cohort_id=self.cohort_id,
                occurred_at=at(14),
            ),
            support.NeedOpened(
                need_id=need,
                file_id=file_id,
                beneficiary_id=self.finisher,
                category="administrative",
                occurred_at=at(16),
            ),
            support.NeedResolved(
                need_id=need,
                file_id=file_id,
                beneficiary_id=self.finisher,
                category="administrative",
                outcome="resolved",
                occurred_at=at(40),
            ),
            support.NeedOpened(
                need_id=_id(), file_id=file_id, beneficiary_id=self.finisher, category="housing", occurred_at=at(17)
            ),
            support.HousingAssigned(
                placement_id=placement,
                beneficiary_id=self.finisher,
                residence_id=_id(),
                bed_id=_id(),
                starts_on=date(2026, 3, 15),
                ends_on=date(2026, 9, 30),
                occurred_at=at(13),
            ),
            support.HousingReleased(
                placement_id=placement,
                beneficiary_id=self.finisher,
                residence_id=_id(),
                bed_id=_id(),
                released_on=date(2026, 9, 1),
                occurred_at=at(183),
            ),
            support.SupportFileClosed(
                file_id=file_id,
                beneficiary_id=self.finisher,
                support_org_id=self.supporter,
                end_reason="path_completed",
                occurred_at=at(262),
            ),
        ]

    def _funding(self) -> list[EventContract]:
        def parts(amount: str) -> tuple[funding.FunderPart, ...]:
            return (
                funding.FunderPart(
                    funder_id=self.funder, agreement_id=self.agreement, budget_line_id=self.line, amount=Decimal(amount)
                ),
            )

        def entry(person: uuid.UUID, amount: str, drawn: str | None = None) -> funding.ConsumptionEntry:
            # ``drawn``: what funding says it drew from the commitment; the leaver's come from an older publisher.
            return funding.ConsumptionEntry(
                beneficiary_id=person,
                funder_id=self.funder,
                agreement_id=self.agreement,
                budget_line_id=self.line,
                funded_hours=Decimal(7),
                amount=Decimal(amount),
                from_commitment=None if drawn is None else Decimal(drawn),
            )

        return [
            funding.AgreementSigned(
                agreement_id=self.agreement,
                funder_id=self.funder,
                funder_kind="opco",
                funder_organisation_id=self.funder_org,
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                signed_on=date(2025, 12, 1),
                total_amount=Decimal("100000.00"),
                lines=(
                    funding.BudgetLineGranted(
                        budget_line_id=self.line,
                        cost_type="training_hours",
                        unit="hour",
                        quantity=Decimal(8000),
                        amount=Decimal("100000.00"),
                    ),
                ),
                occurred_at=at(-90),
            ),
            *(
                funding.CommitmentMade(
                    commitment_id=_id(),
                    beneficiary_id=person,
                    cohort_id=self.cohort_id,
                    step=3,
                    cost_type="training_hours",
                    planned_quantity=Decimal(400),
                    total_amount=Decimal("5000.00"),
                    parts=parts("5000.00"),
                    occurred_at=at(14.1),
                )
                for person in (self.finisher, self.leaver)
            ),
            funding.ConsumptionRecorded(
                session_id=self.session,
                course_id=self.course,
                cohort_id=self.cohort_id,
                step=3,
                held_on=date(2026, 3, 16),
                source_event_id=_id(),
                entries=(entry(self.finisher, "87.50", "87.50"), entry(self.leaver, "43.75")),
                occurred_at=at(14.6),
            ),
            funding.ConsumptionRecorded(
                session_id=self.session,
                course_id=self.course,
                cohort_id=self.cohort_id,
                step=3,
                held_on=date(2026, 3, 16),
                source_event_id=_id(),
                entries=(entry(self.leaver, "-43.75"),),
                occurred_at=at(15.1),
            ),
            funding.CommitmentReleased(
                release_id=_id(),
                beneficiary_id=self.leaver,
                reason="withdrawn",
                total_amount=Decimal("5000.00"),
                parts=parts("5000.00"),
                occurred_at=at(30.1),
            ),
            funding.ClaimSubmitted(
                claim_id=self.claim,
                agreement_id=self.agreement,
                funder_id=self.funder,
                period_start=date(2026, 3, 1),
                period_end=date(2026, 3, 31),
                submitted_on=date(2026, 4, 5),
                people_count=1,
                claimed_amount=Decimal("87.50"),
                occurred_at=at(34),
            ),
            funding.ClaimApproved(
                claim_id=self.claim,
                agreement_id=self.agreement,
                funder_id=self.funder,
                approved_on=date(2026, 4, 20),
                claimed_amount=Decimal("87.50"),
                approved_amount=Decimal("80.00"),
                lines=(
                    funding.ClaimLineDecision(
                        beneficiary_id=self.finisher,
                        budget_line_id=self.line,
                        cost_type="training_hours",
                        claimed_amount=Decimal("87.50"),
                        approved_amount=Decimal("80.00"),
                        reason_code="hours_not_evidenced",
                    ),
                ),
                occurred_at=at(49),
            ),
            funding.PaymentIssued(
                claim_id=self.claim,
                agreement_id=self.agreement,
                funder_id=self.funder,
                paid_on=date(2026, 5, 15),
                amount=Decimal("80.00"),
                occurred_at=at(74),
            ),
        ]

    def _support_costs(self) -> list[EventContract]:
        """The finisher's placement (two months on the housing line, then 250.00 given back when it is released
        early) and support file (a person-month); the leaver's meals of April. The finisher's consumed on the
        region's agreement: 425.00 + 750.00 - 250.00 + 120.00 = 1,045.00; the leaver's: 66.00."""
        lines = {
            self.housing_line: ("housing_night", "night"),
            self.support_line: ("support_per_person_month", "person_month"),
            self.meals_line: ("catering_meal", "meal"),
        }

        def cost(
            person: uuid.UUID, source: uuid.UUID, line: uuid.UUID, units: int, months: dict[date, str], day: float
        ) -> funding.SupportCostRecorded:
            # The finisher's say that nothing was drawn from a commitment (none pays support costs); the leaver's
            # meals come from an older publisher, which does not say.
            return funding.SupportCostRecorded(
                source_id=source,
                beneficiary_id=person,
                cohort_id=self.cohort_id,
                cost_type=lines[line][0],
                units=Decimal(units),
                source_event_id=_id(),
                entries=tuple(
                    funding.SupportCostEntry(
                        funder_id=self.region_funder,
                        agreement_id=self.support_agreement,
                        budget_line_id=line,
                        held_on=month,
                        amount=Decimal(amount),
                        from_commitment=Decimal(0) if person == self.finisher else None,
                    )
                    for month, amount in months.items()
                ),
                occurred_at=at(day),
            )

        return [
            funding.AgreementSigned(
                agreement_id=self.support_agreement,
                funder_id=self.region_funder,
                funder_kind="region",
                period_start=date(2026, 1, 1),
                period_end=date(2026, 12, 31),
                signed_on=date(2025, 12, 15),
                total_amount=Decimal("30000.00"),
                lines=tuple(
                    funding.BudgetLineGranted(
                        budget_line_id=line,
                        cost_type=cost_type,
                        unit=unit,
                        quantity=Decimal(1000),
                        amount=Decimal("10000.00"),
                    )
                    for line, (cost_type, unit) in lines.items()
                ),
                occurred_at=at(-80),
            ),
            cost(
                self.finisher,
                self.placement,
                self.housing_line,
                47,
                {date(2026, 3, 15): "425.00", date(2026, 4, 1): "750.00"},
                13.2,
            ),
            cost(self.finisher, self.placement, self.housing_line, 37, {date(2026, 4, 1): "-250.00"}, 183.2),
            cost(self.finisher, self.support_file, self.support_line, 1, {date(2026, 3, 1): "120.00"}, 14.2),
            cost(self.leaver, _id(), self.meals_line, 12, {date(2026, 4, 1): "66.00"}, 30.2),
        ]

    def _employment(self) -> list[EventContract]:
        return [
            employment.OutcomeRecorded(
                beneficiary_id=self.finisher,
                outcome_code="cdi",
                exit_on=date(2026, 11, 19),
                employer_id=_id(),
                weekly_hours=Decimal(35),
                evidence_source="contract_copy",
                counts_as_employed=True,
                occurred_at=at(261),
            ),
            employment.FollowUpRecorded(
                follow_up_id=_id(),
                beneficiary_id=self.finisher,
                months_after_exit=3,
                due_on=date(2027, 2, 19),
                status="done",
                attempts=1,
                observed_on=date(2027, 2, 20),
                outcome_code="cdi",
                evidence_source="beneficiary_statement",
                counts_as_employed=True,
                occurred_at=at(355),
            ),
            employment.FollowUpRecorded(
                follow_up_id=_id(),
                beneficiary_id=self.finisher,
                months_after_exit=6,
                due_on=date(2027, 5, 19),
                status="unreachable",
                attempts=3,
                occurred_at=at(450),
            ),
        ]
