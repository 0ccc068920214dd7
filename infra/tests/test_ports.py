"""Ports handed to the platform's processes: never one port for two of them."""

from __future__ import annotations

import socket

import pytest

from hope_infra import platform
from hope_infra.kafka import find_free_port
from hope_infra.services import SERVICES


def test_a_process_is_never_handed_the_same_port_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel hands the same free port to two probes in a row: the second must be refused.
    given = iter([40001, 40001, 40001, 40002])

    class Probe:
        def __init__(self, *args: object) -> None:
            self._port = next(given)

        def __enter__(self) -> Probe:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def bind(self, address: tuple[str, int]) -> None:
            pass

        def getsockname(self) -> tuple[str, int]:
            return ("127.0.0.1", self._port)

    monkeypatch.setattr(socket, "socket", Probe)
    assert [find_free_port(), find_free_port()] == [40001, 40002]


def test_many_ports_handed_out_are_distinct_and_free() -> None:
    ports = [find_free_port() for _ in range(50)]
    assert len(set(ports)) == 50
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", ports[-1]))


def test_the_platform_refuses_two_processes_on_one_port(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = SERVICES[1], SERVICES[2]
    monkeypatch.setenv(first.env_prefix + "PORT", "41000")
    monkeypatch.setenv(second.env_prefix + "PORT", "41000")
    with pytest.raises(SystemExit, match=f"41000 \\({first.name}, {second.name}\\)"):
        platform._refuse_shared_ports({"kafka": 41001, "zookeeper": 41002})


def test_the_platform_refuses_kafka_on_a_service_port(monkeypatch: pytest.MonkeyPatch) -> None:
    for service in SERVICES:
        monkeypatch.delenv(service.env_prefix + "PORT", raising=False)
    with pytest.raises(SystemExit, match="kafka"):
        platform._refuse_shared_ports({"kafka": SERVICES[0].port, "zookeeper": 41002})
    platform._refuse_shared_ports({"kafka": 41001, "zookeeper": 41002})
