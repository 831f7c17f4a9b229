"""Bad input to a real server process: an oversized body gets 413, a client that
stalls in its body gets 408 and the server answers others meanwhile and after."""

from __future__ import annotations

import socket
import time

import httpx
from tests.web.servers import Server


def _headers(server: Server) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {server.token}",
    }


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_an_oversized_body_is_refused_with_413(seeded_server: Server) -> None:
    body = b"{" + b" " * 2_000_000 + b"}"
    answer = httpx.post(
        f"{seeded_server.base}/api/v1/screen",
        content=body,
        headers=_headers(seeded_server),
        timeout=30,
    )
    assert answer.status_code == 413
    assert "limit" in answer.text


def test_a_body_over_the_limit_without_a_declared_length_is_refused(
    seeded_server: Server,
) -> None:
    def chunks() -> object:
        for _ in range(30):
            yield b" " * 100_000

    answer = httpx.post(
        f"{seeded_server.base}/api/v1/screen",
        content=chunks(),  # type: ignore[arg-type]
        headers=_headers(seeded_server),
        timeout=30,
    )
    assert answer.status_code == 413


def test_a_client_stalled_in_its_body_gets_408_while_others_are_served(
    seeded_server: Server,
) -> None:
    with socket.create_connection(
        ("127.0.0.1", seeded_server.port), timeout=30
    ) as slow:
        slow.sendall(
            b"POST /api/v1/screen HTTP/1.1\r\nHost: x\r\n"
            + f"Authorization: Bearer {seeded_server.token}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
        )
        started = time.monotonic()
        assert (
            httpx.get(f"{seeded_server.base}/api/v1/health", timeout=10).status_code
            == 200
        )
        answer = slow.recv(65536)
        waited = time.monotonic() - started
    assert _status(answer) == 408
    assert waited < 25  # the limit is 2 s; far below the socket's own 30 s
    assert (
        httpx.get(f"{seeded_server.base}/api/v1/health", timeout=10).status_code == 200
    )
