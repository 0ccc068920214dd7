"""Kafka clients configured the way the platform needs them, and a producer that replaces itself when it breaks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import (
    KafkaError,
    OutOfOrderSequenceNumber,
    ProducerClosed,
    ProducerFenced,
    UnknownProducerId,
)
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential_jitter

from hopekit import metrics

log = logging.getLogger(__name__)

DLQ_TOPIC = "hope.dlq"

# Errors after which this producer id can deliver nothing more: aiokafka's sender task dies on the first two, and a
# broker that lost the producer's state (kill -9, then a restart) answers with the others for every later batch.
_FATAL = (OutOfOrderSequenceNumber, UnknownProducerId, ProducerFenced, ProducerClosed)


def make_producer(bootstrap: str, client_id: str) -> AIOKafkaProducer:
    # Idempotence (with acks=all) keeps per-partition order through the producer's own retries.
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        max_batch_size=256 * 1024,
        request_timeout_ms=15_000,
    )


def is_fatal(error: BaseException) -> bool:
    """Whether ``error`` means the producer that raised it must be replaced (a retry on it would fail the same way)."""
    if isinstance(error, _FATAL):
        return True
    # Any other error aiokafka does not retry itself and that is not about one record (size, topic, authorisation).
    return isinstance(error, KafkaError) and type(error) is KafkaError


def sender_dead(producer: AIOKafkaProducer) -> bool:
    """True once aiokafka's background sender has stopped: every later send would wait for nothing."""
    sender = getattr(producer, "_sender", None)
    task = getattr(sender, "sender_task", None)
    return task is not None and task.done()


async def _abort(producer: AIOKafkaProducer) -> None:
    """Stop a producer without delivering what it still holds.

    ``stop()`` alone flushes first, and with idempotence its batches never expire: against an unreachable broker it
    waits forever, and a producer left flushing in the background would deliver old events after newer ones.
    Its sender is cancelled and its waiting records failed (aiokafka internals, guarded) before it is stopped.
    """
    with contextlib.suppress(Exception):
        sender = getattr(producer, "_sender", None)
        if sender is not None:
            await asyncio.wait_for(sender.close(), 20.0)
        accumulator = getattr(producer, "_message_accumulator", None)
        if accumulator is not None:
            accumulator.fail_all(ProducerClosed("the producer was replaced"))
    with contextlib.suppress(Exception):
        await asyncio.wait_for(producer.stop(), 10.0)


class RenewingProducer:
    """An idempotent producer that a caller can replace by a fresh one (a new producer id) after a fatal error.

    ``send`` and ``send_and_wait`` behave as aiokafka's; when the current producer's sender has died they renew
    it first, so a dead producer never keeps a service from sending (the relay and the consumers' dead letters).
    """

    def __init__(self, factory: Callable[[], AIOKafkaProducer], *, max_backoff_s: float = 30.0) -> None:
        self._factory = factory
        self._max_backoff_s = max_backoff_s
        self._producer: AIOKafkaProducer | None = None
        self._lock = asyncio.Lock()
        self.renewals = 0

    @property
    def current(self) -> AIOKafkaProducer:
        if self._producer is None:
            raise RuntimeError("producer not started")
        return self._producer

    @property
    def client(self) -> Any:
        return self.current.client

    async def start(self) -> None:
        """Start one producer; raises when the broker cannot be reached (the caller decides how long to wait)."""
        self._producer = await self._started()

    async def _started(self) -> AIOKafkaProducer:
        producer = self._factory()
        try:
            await producer.start()
        except BaseException:
            with contextlib.suppress(Exception):
                await producer.stop()
            raise
        return producer

    async def stop(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()

    async def renew(self, broken: AIOKafkaProducer | None = None, reason: BaseException | None = None) -> None:
        """Abort the current producer, then start a new one, retrying with jittered exponential backoff.

        ``broken`` names the producer the caller saw fail: when another task already replaced it, nothing is done.
        The old producer is aborted first, so nothing it still holds reaches Kafka after what the new one sends
        (an older event after a newer one); it stays ``current``, dead, until the new one is up.
        """
        async with self._lock:
            if broken is not None and self._producer is not broken:
                return
            log.warning("Kafka producer being replaced by a new one after %r", reason)
            if self._producer is not None:
                await _abort(self._producer)
            async for attempt in AsyncRetrying(
                wait=wait_exponential_jitter(multiplier=0.2, max=self._max_backoff_s, jitter=0.2),
                retry=retry_if_exception_type(Exception),
            ):
                with attempt:
                    fresh = await self._started()
            self._producer = fresh
            self.renewals += 1
            metrics.PRODUCER_RENEWALS.inc()
            log.warning("Kafka producer replaced")

    async def _usable(self) -> AIOKafkaProducer:
        producer = self.current
        if sender_dead(producer):
            await self.renew(producer, reason=ProducerClosed("sender stopped"))
            producer = self.current
        return producer

    async def send(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> asyncio.Future[Any]:
        producer = await self._usable()
        future: asyncio.Future[Any] = await producer.send(topic, value=value, key=key, headers=headers)
        return future

    async def send_and_wait(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        headers: Sequence[tuple[str, bytes]] | None = None,
    ) -> Any:
        producer = await self._usable()
        try:
            return await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        except Exception as error:
            if is_fatal(error):
                await self.renew(producer, reason=error)
            raise
