"""``spinewise serve --workers N``: each worker listens on a socket of its own, the
kernel spreads connections over them, and accepted connections send without delay."""

from __future__ import annotations

import asyncio
import pickle
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from spinewise.cli.listeners import (
    WorkerSockets,
    shared_port_socket,
    spreads_connections,
)

pytestmark = pytest.mark.skipif(
    not spreads_connections(), reason="SO_REUSEPORT spreads connections on Linux only"
)
HOST = "127.0.0.1"


@contextmanager
def workers_on_one_port(count: int) -> Iterator[list[socket.socket]]:
    """The supervisor's claim on a free port, and ``count`` workers' sockets as
    uvicorn's spawn hands them over (pickled), listening."""
    with ExitStack() as stack:
        claim = stack.enter_context(shared_port_socket(HOST, 0))
        port = claim.getsockname()[1]
        handed = pickle.dumps(WorkerSockets(HOST, port))
        sockets = []
        for _ in range(count):
            (own,) = pickle.loads(handed)
            stack.enter_context(own)
            own.listen(128)
            own.setblocking(False)
            sockets.append(own)
        yield sockets


def accept_all(listener: socket.socket) -> list[socket.socket]:
    accepted = []
    while True:
        try:
            accepted.append(listener.accept()[0])
        except BlockingIOError:
            return accepted


def test_the_supervisor_hands_no_socket_of_its_own() -> None:
    assert WorkerSockets(HOST, 8000) == []


def test_each_worker_gets_a_socket_of_its_own_on_the_same_port() -> None:
    with workers_on_one_port(2) as (first, second):
        assert first.fileno() != second.fileno()
        assert first.getsockname() == second.getsockname()
        for own in (first, second):
            assert own.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            assert own.proto == socket.IPPROTO_TCP


def test_a_burst_of_connections_is_spread_over_the_workers() -> None:
    with workers_on_one_port(2) as workers:
        port = workers[0].getsockname()[1]
        with ExitStack() as clients:
            for _ in range(64):
                clients.enter_context(socket.create_connection((HOST, port)))
            counts = []
            for worker in workers:
                accepted = accept_all(worker)
                counts.append(len(accepted))
                for connection in accepted:
                    connection.close()
    assert sum(counts) == 64  # none went to the supervisor's claim
    assert min(counts) >= 8  # a hash spread; one shared queue gave 27 of 32 to one


def test_a_port_taken_by_another_server_is_refused() -> None:
    with socket.socket() as other:
        other.bind((HOST, 0))
        other.listen()
        with pytest.raises(OSError):
            shared_port_socket(HOST, other.getsockname()[1])


def test_accepted_connections_send_without_delay() -> None:
    """asyncio turns Nagle's algorithm off only on a TCP socket by protocol."""

    async def nodelay_of_accepted() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))

        with workers_on_one_port(1) as (own,):
            loop = asyncio.get_running_loop()
            server = await loop.create_server(Probe, sock=own)
            _, writer = await asyncio.open_connection(HOST, own.getsockname()[1])
            nodelay = await asyncio.wait_for(seen, 5)
            writer.close()
            server.close()
            return nodelay

    assert asyncio.run(nodelay_of_accepted()) != 0
