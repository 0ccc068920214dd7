"""Stand-ins for the event pipeline's unit tests: an SQLite database with the kit tables and a scripted producer."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import MetaData, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from hope_contracts import EventContract
from hopekit.app import ServiceApp, ServiceDefinition, build_service_app
from hopekit.db.engine import make_engine
from hopekit.db.kit_tables import KitTables, add_kit_tables
from hopekit.db.metadata import make_metadata
from hopekit.settings import ServiceSettings
from hopekit.uow import Database, UnitOfWork

metadata = make_metadata()
kit: KitTables = add_kit_tables(metadata)
SOURCE = "/hope/kittest"


class ThingHappened(EventContract):
    event_type: ClassVar[str] = "fr.hope.kittest.unit.happened.v1"
    subject_field: ClassVar[str] = "thing_id"

    thing_id: uuid.UUID
    step: int = 0


async def sqlite_database(tmp_path: Path) -> Database:
    return Database(engine=await _sqlite(tmp_path, metadata), tables=kit)


@contextlib.asynccontextmanager
async def sqlite_with(tmp_path: Path, tables: MetaData) -> AsyncIterator[AsyncEngine]:
    """A new SQLite database in ``tmp_path`` holding ``tables``, for the time of the block."""
    engine = await _sqlite(tmp_path, tables)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _sqlite(tmp_path: Path, tables: MetaData) -> AsyncEngine:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'kit.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(tables.create_all)
    return engine


async def publish(database: Database, *contracts: EventContract) -> None:
    async with UnitOfWork(database) as uow:
        uow.publish(*contracts)
        await uow.commit()


async def unpublished(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        count: int = await connection.scalar(
            select(func.count()).select_from(kit.outbox).where(kit.outbox.c.published_at.is_(None))
        )
        return count


@dataclass
class Sent:
    topic: str
    key: bytes
    headers: dict[str, bytes]
    future: asyncio.Future[Any]
    # Whether every earlier event of the same key had been acknowledged when this one was sent.
    earlier_of_key_acknowledged: bool

    @property
    def sequence(self) -> int:
        return int(self.headers["ce_sequence"])


@dataclass
class FakeProducer:
    """Records what is sent; ``fail`` decides, per send, which error (if any) the delivery ends with."""

    fail: Callable[[Sent], BaseException | None] = lambda _sent: None
    sent: list[Sent] = field(default_factory=list)
    started: bool = False
    stopped: bool = False

    async def start(self) -> None:
        self.started = True

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, topic: str, value: bytes | None = None, key: bytes | None = None, headers: Any = None) -> Any:
        assert key is not None
        names = dict(headers or ())
        delivered = {
            int(item.headers["ce_sequence"])
            for item in self.sent
            if item.key == key and item.future.done() and item.future.exception() is None
        }
        # Sequences of a key start at 1: every one below this event's must already be on the wire.
        acknowledged = set(range(1, int(names["ce_sequence"]))) <= delivered
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        item = Sent(topic, key, names, future, acknowledged)
        self.sent.append(item)
        error = self.fail(item)
        loop = asyncio.get_running_loop()
        # Acknowledged a moment later, as a broker would: a send that waited for nothing would be seen as early.
        loop.call_later(0.001, lambda: future.set_exception(error) if error else future.set_result(None))
        return future

    def wire(self, key: str) -> list[int]:
        """The sequence numbers of ``key`` that Kafka acknowledged, in the order it acknowledged them."""
        return [
            item.sequence
            for item in self.sent
            if item.key == key.encode() and item.future.done() and item.future.exception() is None
        ]


def now() -> datetime:
    return datetime.now(UTC)


def bare_service(settings: ServiceSettings, **definition: Any) -> ServiceApp:
    """A service of the kit with nothing of its own (no routes, no tables but the kit's); ``definition``: the rest
    of its ``ServiceDefinition`` (its jobs, say)."""
    return build_service_app(
        ServiceDefinition(
            settings=settings,
            title="svc",
            description="a service",
            kit_tables=add_kit_tables(MetaData()),
            uow_class=UnitOfWork,
            routers=[],
            **definition,
        )
    )
