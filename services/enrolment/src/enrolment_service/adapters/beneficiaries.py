"""Loading and saving beneficiaries with their pathway history and consents."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    Select,
    String,
    Subquery,
    and_,
    bindparam,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection

from enrolment_service.adapters.tables import beneficiaries, consents, pathway_transitions
from enrolment_service.domain.actor import Actor
from enrolment_service.domain.beneficiary import Beneficiary, ConsentRecord, Identity
from enrolment_service.domain.duplicates import duplicate_key
from enrolment_service.domain.pathway import A1Attestation, Pathway, PrerequisitesRecord, Transition
from enrolment_service.domain.vocabulary import (
    ConsentPurpose,
    LanguageTest,
    PathwayStatus,
    ProtectionStatus,
    Track,
)


@dataclass(frozen=True)
class BeneficiaryFilter:
    """What a list may be narrowed to; ``visible_*`` come from the caller's access rights, not the query."""

    cohort_id: UUID | None = None
    status: PathwayStatus | None = None
    # The people in the step of this status: in it now, or on hold from it (they resume there).
    step_status: PathwayStatus | None = None
    registered_by_org_id: UUID | None = None
    visible_cohort_ids: frozenset[UUID] | None = None
    visible_registered_by: UUID | None = None
    after_id: UUID | None = None


class BeneficiaryRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection
        # How many history entries and consents each loaded beneficiary already had in the database.
        self._stored: dict[UUID, tuple[int, int]] = {}

    async def get(self, beneficiary_id: UUID, *, for_update: bool = False) -> Beneficiary | None:
        if for_update:
            # A change: the person's row first, locked on PostgreSQL (the lock is on that row alone), then the rest.
            query = _ONE_FOR_UPDATE if self._connection.dialect.name == "postgresql" else _ONE
            row = (await self._connection.execute(query, {"beneficiary_id": beneficiary_id})).one_or_none()
            return None if row is None else (await self._hydrate([row]))[0]
        # The person and their history and consents in one statement: one row per entry (the person's columns
        # repeated), or one row with no entry.
        rows = (await self._connection.execute(_ONE_WITH_CHILDREN, {"beneficiary_id": beneficiary_id})).all()
        if not rows:
            return None
        return self._assemble(rows[:1], [row for row in rows if row.kind is not None])[0]

    async def get_many(self, beneficiary_ids: Collection[UUID], *, for_update: bool = False) -> list[Beneficiary]:
        """Those of these people enrolment knows, in id order: with ``for_update``, their row locks are taken in
        that order, so two transactions locking some of the same people wait for each other, never deadlock."""
        if not beneficiary_ids:
            return []
        query = _SOME_FOR_UPDATE if for_update and self._connection.dialect.name == "postgresql" else _SOME
        rows = (await self._connection.execute(query, {"ids": sorted(beneficiary_ids)})).all()
        return await self._hydrate(list(rows))

    async def find_duplicate(self, identity: Identity) -> UUID | None:
        conditions = [beneficiaries.c.duplicate_key == duplicate_key(identity)]
        if identity.ofii_number is not None:
            conditions.append(beneficiaries.c.ofii_number == identity.ofii_number)
        found: UUID | None = await self._connection.scalar(select(beneficiaries.c.id).where(or_(*conditions)).limit(1))
        return found

    async def search(self, criteria: BeneficiaryFilter, limit: int) -> list[Beneficiary]:
        rows = (await self._connection.execute(self._list_query(criteria).limit(limit))).all()
        return await self._hydrate(rows)

    def _list_query(self, criteria: BeneficiaryFilter) -> Select[Any]:
        table = beneficiaries
        conditions: list[Any] = []
        if criteria.cohort_id is not None:
            conditions.append(table.c.cohort_id == criteria.cohort_id)
        if criteria.status is not None:
            conditions.append(table.c.status == criteria.status.value)
        if criteria.step_status is not None:
            in_step = criteria.step_status.value
            conditions.append(
                or_(
                    table.c.status == in_step,
                    and_(table.c.status == PathwayStatus.ON_HOLD.value, table.c.status_before_hold == in_step),
                )
            )
        if criteria.registered_by_org_id is not None:
            conditions.append(table.c.registered_by_org_id == criteria.registered_by_org_id)
        if criteria.visible_cohort_ids is not None:
            conditions.append(table.c.cohort_id.in_(list(criteria.visible_cohort_ids)))
        if criteria.visible_registered_by is not None:
            conditions.append(table.c.registered_by_org_id == criteria.visible_registered_by)
        if criteria.after_id is not None:
            conditions.append(table.c.id > criteria.after_id)
        return select(table).where(and_(True, *conditions)).order_by(table.c.id)

    async def add(self, beneficiary: Beneficiary) -> None:
        await self._connection.execute(insert(beneficiaries).values(**_row(beneficiary)))
        self._stored[beneficiary.id] = (0, 0)
        await self._append_children([beneficiary])

    async def save(self, beneficiary: Beneficiary) -> None:
        await self._connection.execute(
            update(beneficiaries).where(beneficiaries.c.id == beneficiary.id).values(**_row(beneficiary))
        )
        await self._append_children([beneficiary])

    async def save_many(self, changed: Iterable[Beneficiary]) -> None:
        """``save`` for several people loaded in this unit of work: one UPDATE per shape of row (executemany),
        their new history entries and consents in one INSERT each."""
        people = list(changed)
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for beneficiary in people:
            row = _row(beneficiary)
            # An erased person's row has no protection status to write: the parameter sets differ in keys.
            values = {"target_id": row.pop("id"), **row}
            shapes.setdefault(tuple(values), []).append(values)
        for rows in shapes.values():
            await self._connection.execute(_UPDATE, rows)
        await self._append_children(people)

    async def _append_children(self, changed: Iterable[Beneficiary]) -> None:
        """The history entries and consents added since these people were loaded, one INSERT each at most."""
        new_history: list[dict[str, Any]] = []
        new_consents: list[dict[str, Any]] = []
        for beneficiary in changed:
            history_stored, consents_stored = self._stored.get(beneficiary.id, (0, 0))
            new_history.extend(
                {
                    "beneficiary_id": beneficiary.id,
                    "sequence": history_stored + offset,
                    "from_status": entry.from_status.value if entry.from_status else None,
                    "to_status": entry.to_status.value,
                    "at": entry.at,
                    "actor": entry.actor,
                    "actor_org_id": entry.actor_org_id,
                    "reason_code": entry.reason_code,
                    "waiver_reason": entry.waiver_reason,
                }
                for offset, entry in enumerate(beneficiary.pathway.history[history_stored:])
            )
            new_consents.extend(
                {
                    "beneficiary_id": beneficiary.id,
                    "sequence": consents_stored + offset,
                    "purpose": record.purpose.value,
                    "given": record.given,
                    "at": record.at,
                    "recorded_by": record.recorded_by.subject,
                    "recorded_by_org_id": record.recorded_by.org_id,
                }
                for offset, record in enumerate(beneficiary.consents[consents_stored:])
            )
            self._stored[beneficiary.id] = (len(beneficiary.pathway.history), len(beneficiary.consents))
        if new_history:
            await self._connection.execute(insert(pathway_transitions), new_history)
        if new_consents:
            await self._connection.execute(insert(consents), new_consents)

    async def _hydrate(self, rows: list[Any]) -> list[Beneficiary]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        if len(ids) == 1:
            children = await self._connection.execute(_CHILDREN_OF_ONE, {"beneficiary_id": ids[0]})
        else:
            children = await self._connection.execute(_CHILDREN_OF_MANY, {"ids": ids})
        return self._assemble(rows, children)

    def _assemble(self, rows: Sequence[Any], children: Iterable[Any]) -> list[Beneficiary]:
        """The people of ``rows`` with ``children``, the rows of their history and consents (``_children``)."""
        history: dict[UUID, list[Transition]] = {row.id: [] for row in rows}
        consent_records: dict[UUID, list[ConsentRecord]] = {row.id: [] for row in rows}
        # Rows read by key: an attribute of a row is looked up on its class first, and each miss raised (and
        # caught) an AttributeError, forty times a read.
        for child in children:
            entry = child._mapping
            if entry["kind"] == _HISTORY:
                history[entry["beneficiary_id"]].append(
                    Transition(
                        from_status=PathwayStatus(entry["code"]) if entry["code"] else None,
                        to_status=PathwayStatus(entry["to_status"]),
                        at=entry["at"],
                        actor=entry["actor"],
                        actor_org_id=entry["actor_org_id"],
                        reason_code=entry["reason_code"],
                        waiver_reason=entry["waiver_reason"],
                    )
                )
            else:
                consent_records[entry["beneficiary_id"]].append(
                    ConsentRecord(
                        purpose=ConsentPurpose(entry["code"]),
                        given=entry["given"],
                        at=entry["at"],
                        recorded_by=Actor(entry["actor"], entry["actor_org_id"]),
                    )
                )
        loaded = []
        for row in rows:
            beneficiary = _beneficiary(row._mapping, history[row.id], consent_records[row.id])
            self._stored[row.id] = (len(beneficiary.pathway.history), len(beneficiary.consents))
            loaded.append(beneficiary)
        return loaded


_HISTORY, _CONSENTS = 0, 1


def _children(owned_by: Callable[[Any], Any]) -> Subquery:
    """The pathway history and the consents of some people as one set of rows (one round trip, not two: a read
    is mostly round trips); ``kind`` tells which a row is."""
    transitions = select(
        literal(_HISTORY).label("kind"),
        pathway_transitions.c.beneficiary_id,
        pathway_transitions.c.sequence,
        pathway_transitions.c.from_status.label("code"),
        pathway_transitions.c.to_status,
        null().cast(Boolean).label("given"),
        pathway_transitions.c.at,
        pathway_transitions.c.actor,
        pathway_transitions.c.actor_org_id,
        pathway_transitions.c.reason_code,
        pathway_transitions.c.waiver_reason,
    ).where(owned_by(pathway_transitions.c.beneficiary_id))
    consent_rows = select(
        literal(_CONSENTS).label("kind"),
        consents.c.beneficiary_id,
        consents.c.sequence,
        consents.c.purpose.label("code"),
        null().cast(String).label("to_status"),
        consents.c.given,
        consents.c.at,
        consents.c.recorded_by.label("actor"),
        consents.c.recorded_by_org_id.label("actor_org_id"),
        null().cast(String).label("reason_code"),
        null().cast(String).label("waiver_reason"),
    ).where(owned_by(consents.c.beneficiary_id))
    return union_all(transitions, consent_rows).subquery()


def _children_query(owned_by: Callable[[Any], Any]) -> Select[Any]:
    """History before consents, each in its order."""
    both = _children(owned_by)
    return select(both).order_by(both.c.beneficiary_id, both.c.kind, both.c.sequence)


def _one_with_children() -> Select[Any]:
    """One person and their children (whose column names no column of the person's row has)."""
    children = _children(lambda column: column == bindparam("beneficiary_id"))
    return (
        select(beneficiaries, children)
        .select_from(beneficiaries.outerjoin(children, children.c.beneficiary_id == beneficiaries.c.id))
        .where(beneficiaries.c.id == bindparam("beneficiary_id"))
        .order_by(children.c.kind, children.c.sequence)
    )


# Statements built once, their values bound at each execution: building the union and its columns anew took
# more of a read's time than running it, and a statement object reused keeps its compiled form cached.
_ONE = select(beneficiaries).where(beneficiaries.c.id == bindparam("beneficiary_id"))
_ONE_FOR_UPDATE = _ONE.with_for_update()
_SOME = (
    select(beneficiaries).where(beneficiaries.c.id.in_(bindparam("ids", expanding=True))).order_by(beneficiaries.c.id)
)
_SOME_FOR_UPDATE = _SOME.with_for_update()
# A person's row rewritten: the row is bound as ``target_id`` (no column has that name), the other keys are set.
_UPDATE = update(beneficiaries).where(beneficiaries.c.id == bindparam("target_id"))
# One person (every read) compares with one value rather than expanding a list of one.
_CHILDREN_OF_ONE = _children_query(lambda column: column == bindparam("beneficiary_id"))
_CHILDREN_OF_MANY = _children_query(lambda column: column.in_(bindparam("ids", expanding=True)))
# A read (no lock): the person and their children in one round trip.
_ONE_WITH_CHILDREN = _one_with_children()


def _row(beneficiary: Beneficiary) -> dict[str, Any]:
    identity = beneficiary.identity
    pathway = beneficiary.pathway
    prerequisites = pathway.prerequisites
    row: dict[str, Any] = {
        "id": beneficiary.id,
        "given_name": identity.given_name if identity else None,
        "family_name": identity.family_name if identity else None,
        "birth_date": identity.birth_date if identity else None,
        "nationality": identity.nationality if identity else None,
        "ofii_number": identity.ofii_number if identity else None,
        "france_travail_id": identity.france_travail_id if identity else None,
        "spoken_languages": list(identity.spoken_languages) if identity else None,
        "phone": identity.phone if identity else None,
        "email": identity.email if identity else None,
        "duplicate_key": duplicate_key(identity) if identity else None,
        "track": pathway.track.value,
        "status": pathway.status.value,
        "status_before_hold": pathway.status_before_hold.value if pathway.status_before_hold else None,
        "sector_code": pathway.sector_code,
        "cohort_id": pathway.cohort_id,
        "cohort_joined_on": pathway.cohort_joined_on,
        "ofii_hours": prerequisites.ofii_hours if prerequisites else None,
        "a1_attested_on": prerequisites.attestation.attested_on if prerequisites else None,
        "a1_test": prerequisites.attestation.test.value if prerequisites else None,
        "a1_evidence_reference": prerequisites.attestation.evidence_reference if prerequisites else None,
        "french_hours_done_at": pathway.french_hours_done_at,
        "french_course_id": pathway.french_course_id,
        "registered_at": beneficiary.registered_at,
        "registered_by_org_id": beneficiary.registered_by_org_id,
        "erased_at": beneficiary.erased_at,
        "erased_by": beneficiary.erased_by.subject if beneficiary.erased_by else None,
        "erased_by_org_id": beneficiary.erased_by.org_id if beneficiary.erased_by else None,
        "updated_at": datetime.now(UTC),
    }
    if identity is not None:
        # A code of the pseudonymous path: it outlives erasure, so it is only ever written from an identity.
        row["protection_status"] = identity.protection_status.value
    return row


def _beneficiary(
    row: Mapping[str, Any], history: list[Transition], consent_records: list[ConsentRecord]
) -> Beneficiary:
    identity = None
    if row["erased_at"] is None:
        identity = Identity(
            given_name=row["given_name"],
            family_name=row["family_name"],
            birth_date=row["birth_date"],
            nationality=row["nationality"],
            protection_status=ProtectionStatus(row["protection_status"]),
            ofii_number=row["ofii_number"],
            france_travail_id=row["france_travail_id"],
            spoken_languages=tuple(row["spoken_languages"] or ()),
            phone=row["phone"],
            email=row["email"],
        )
    prerequisites = None
    if row["ofii_hours"] is not None:
        prerequisites = PrerequisitesRecord(
            ofii_hours=row["ofii_hours"],
            attestation=A1Attestation(
                attested_on=row["a1_attested_on"],
                test=LanguageTest(row["a1_test"]),
                evidence_reference=row["a1_evidence_reference"],
            ),
        )
    pathway = Pathway(
        beneficiary_id=row["id"],
        track=Track(row["track"]),
        status=PathwayStatus(row["status"]),
        history=history,
        prerequisites=prerequisites,
        sector_code=row["sector_code"],
        cohort_id=row["cohort_id"],
        cohort_joined_on=row["cohort_joined_on"],
        status_before_hold=PathwayStatus(row["status_before_hold"]) if row["status_before_hold"] else None,
        french_hours_done_at=row["french_hours_done_at"],
        french_course_id=row["french_course_id"],
    )
    return Beneficiary(
        id=row["id"],
        identity=identity,
        pathway=pathway,
        registered_at=row["registered_at"],
        registered_by_org_id=row["registered_by_org_id"],
        consents=consent_records,
        erased_at=row["erased_at"],
        erased_by=Actor(row["erased_by"], row["erased_by_org_id"]) if row["erased_by"] else None,
    )
