"""A small HTTP/1.1 load generator that runs as its own process, never inside a measured server.

``python -m benchmarks.load open URL [URL ...] --rate R --duration S``: open loop, R requests per second to
each URL, interleaved one by one so that every URL meets the same background load. A pacing thread sleeps
until each request's intended send time and hands the request to the event loop, which sends it on an idle
keep-alive connection or a new one; nothing waits for an earlier answer. Latency is measured from the intended
send time, so queueing in the server (or in this generator) is counted instead of hidden (no coordinated
omission).

``python -m benchmarks.load closed URL --connections N --duration S --processes P``: closed loop, the
fallback when wrk is not installed. Each connection sends its next request as soon as it has read the answer.

Both print one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import sys
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

_READ_ERRORS = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    request: bytes


def target(url: str, headers: list[str], method: str = "GET", body: bytes = b"") -> Target:
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {parts.netloc}", *headers]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return Target(parts.hostname or "127.0.0.1", parts.port or 80, ("\r\n".join(lines) + "\r\n\r\n").encode() + body)


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def exchange(connection: Connection, request: bytes) -> tuple[int, bool]:
    """One request and its whole answer; returns the status and whether the server will close the connection."""
    reader, writer = connection
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    # HTTP/1.0 closes after each answer unless it says otherwise.
    closing = head.startswith(b"HTTP/1.0") and b"keep-alive" not in head.lower()
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            closing = b"close" in value.lower()
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status, closing


async def open_loop(goals: list[Target], rate: float, duration_s: float, warmup_s: float) -> dict[str, Any]:
    """``rate`` requests per second to each goal, interleaved one by one: every goal meets the same background."""
    loop = asyncio.get_running_loop()
    idle: list[list[Connection]] = [[] for _ in goals]
    pending: set[asyncio.Task[None]] = set()
    # Per goal: (intended send time, moment the loop got to it, answered, status)
    samples: list[list[tuple[float, float, float, int]]] = [[] for _ in goals]
    opened = [0 for _ in goals]

    async def one(index: int, intended: float) -> None:
        goal, free = goals[index], idle[index]
        started = time.perf_counter()
        connection: Connection | None = None
        status, closing = 0, True
        # A kept-alive connection the server has meanwhile closed is retried once on a new one, like any client.
        for reuse in (bool(free), False):
            if connection is not None:
                connection[1].close()
            try:
                if reuse:
                    connection = free.pop()
                else:
                    connection = await asyncio.open_connection(goal.host, goal.port)
                    opened[index] += 1
                status, closing = await exchange(connection, goal.request)
                break
            except _READ_ERRORS:
                status, closing = 0, True
            if not reuse:
                break
        samples[index].append((intended, started, time.perf_counter(), status))
        if connection is not None:
            if closing:
                connection[1].close()
            else:
                free.append(connection)

    def start(index: int, intended: float) -> None:
        task = loop.create_task(one(index, intended))
        pending.add(task)
        task.add_done_callback(pending.discard)

    every = rate * len(goals)
    total = round(every * (warmup_s + duration_s))
    begin = time.perf_counter() + 0.1

    def pace() -> None:
        # time.sleep is precise to tens of microseconds; the event loop's timers round to milliseconds.
        for n in range(total):
            intended = begin + n / every
            delay = intended - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            loop.call_soon_threadsafe(start, n % len(goals), intended)

    await asyncio.to_thread(pace)
    while pending:
        await asyncio.wait(set(pending), timeout=30)
    for free in idle:
        for _, writer in free:
            writer.close()
    results = []
    for index, taken in enumerate(samples):
        measured = [sample for sample in taken if sample[0] >= begin + warmup_s]
        results.append(
            {
                "sent": len(measured),
                "errors": sum(1 for sample in measured if not 200 <= sample[3] < 300),
                "latency_s": [done - intended for intended, _, done, status in measured if 200 <= status < 300],
                "lateness_s": [started - intended for intended, started, _, _ in measured],
                "connections_opened": opened[index],
            }
        )
    return {"goals": results}


async def _closed_worker(goal: Target, start_at: float, stop_at: float, window: tuple[float, float]) -> list[int]:
    """[answered in the window, errors in the window]."""
    counts = [0, 0]
    connection: Connection | None = None
    await asyncio.sleep(max(0.0, start_at - time.perf_counter()))
    while time.perf_counter() < stop_at:
        try:
            if connection is None:
                connection = await asyncio.open_connection(goal.host, goal.port)
            status, closing = await exchange(connection, goal.request)
        except _READ_ERRORS:
            status, closing = 0, True
        if window[0] <= time.perf_counter() <= window[1]:
            counts[0 if 200 <= status < 300 else 1] += 1
        if closing and connection is not None:
            connection[1].close()
            connection = None
    if connection is not None:
        connection[1].close()
    return counts


def _closed_process(arguments: tuple[Target, int, float, float, float]) -> list[int]:
    goal, connections, start_at, warmup_s, duration_s = arguments
    window = (start_at + warmup_s, start_at + warmup_s + duration_s)

    async def run() -> list[int]:
        results = await asyncio.gather(*(_closed_worker(goal, start_at, window[1], window) for _ in range(connections)))
        return [sum(result[i] for result in results) for i in range(2)]

    return asyncio.run(run())


def closed_loop(goal: Target, connections: int, duration_s: float, warmup_s: float, processes: int) -> dict[str, Any]:
    # Every process starts together (perf_counter is the system's monotonic clock, shared by processes).
    start_at = time.perf_counter() + 1.0
    shares = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_closed_process, [(goal, share, start_at, warmup_s, duration_s) for share in shares])
    answered = sum(result[0] for result in results)
    return {
        "requests": answered,
        "errors": sum(result[1] for result in results),
        "requests_per_s": answered / duration_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.load")
    parser.add_argument("mode", choices=["open", "closed"])
    parser.add_argument("urls", nargs="+", metavar="url", help="open loop: several are interleaved")
    parser.add_argument("-H", "--header", action="append", default=[], help="'Name: value', repeatable")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="")
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--rate", type=float, default=100.0, help="open loop: requests per second")
    parser.add_argument("--connections", type=int, default=32, help="closed loop: concurrent connections")
    parser.add_argument("--processes", type=int, default=2, help="closed loop: generator processes")
    args = parser.parse_args(argv)
    goals = [target(url, args.header, args.method, args.body.encode()) for url in args.urls]
    if args.mode == "open":
        result = asyncio.run(open_loop(goals, args.rate, args.duration, args.warmup))
    else:
        if len(goals) != 1:
            parser.error("the closed loop takes one url")
        result = closed_loop(goals[0], args.connections, args.duration, args.warmup, max(1, args.processes))
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
