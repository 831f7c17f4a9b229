"""Each worker of ``spinewise serve --workers N`` listens on a socket of its own.

Under uvicorn's supervisor every worker inherits the one socket the supervisor bound,
so all workers share one accept queue. A worker that wakes on it accepts everything
waiting (asyncio's accept loop drains the queue), so a burst of connections - a load
test's, a reverse proxy opening its keep-alive connections, the morning's first
browsers - lands mostly on one worker and stays there for as long as the connections
live: the bench's 32 connections came out 27 to 5, the busy worker saturated while
the other idled (bench/results/2026-12-05.md, "pgwrite"). A request with a dozen
database round trips (a submitted assessment) leaves a worker with few connections
idle between them, so writes showed it most.

On Linux, therefore, each worker binds its own listening socket to the same address
with ``SO_REUSEPORT``: the kernel spreads new connections over the workers' queues by
a hash of their addresses, whichever worker is awake. The supervisor first binds one
socket (not listening, so it takes no connections) to claim the address and learn the
port; workers it restarts bind theirs the same way. The sockets are TCP sockets by
protocol, so asyncio turns Nagle's algorithm off on every accepted connection, as it
does for one worker (a socket bound with protocol 0 loses ``TCP_NODELAY``). Elsewhere
(macOS and BSD do not spread connections over such sockets) the shared socket stays.

uvicorn hands the supervisor's ``sockets`` to each worker it spawns, pickled;
``WorkerSockets`` is an empty list in the supervisor that unpickles, in a worker, as
that worker's own listening socket.
"""

from __future__ import annotations

import socket
import sys

import uvicorn
from uvicorn.supervisors import Multiprocess


def spreads_connections() -> bool:
    """Whether this system spreads connections over sockets sharing a port."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")


def shared_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (``host``, ``port``) with ``SO_REUSEPORT``, not listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host.strip("[]"), port))
    except OSError:
        sock.close()
        raise
    return sock


def worker_sockets(host: str, port: int) -> list[socket.socket]:
    """A worker's own socket on the address (uvicorn makes it listen)."""
    return [shared_port_socket(host, port)]


class WorkerSockets(list[socket.socket]):
    """Empty in the supervisor; in each worker, that worker's own socket."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__()
        self.host, self.port = host, port

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return worker_sockets, (self.host, self.port)


def serve_workers(config: uvicorn.Config) -> None:
    """Run ``config.workers`` workers under uvicorn's supervisor: each on a socket
    of its own where the system spreads connections over them, else on one shared."""
    if not spreads_connections():
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    claim = shared_port_socket(config.host, config.port)
    try:
        port = claim.getsockname()[1]
        Multiprocess(config, sockets=WorkerSockets(config.host, port)).run()
    finally:
        claim.close()
