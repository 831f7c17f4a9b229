"""Real server processes for tests: ``spinewise serve`` started as a subprocess.

``seeded_server`` is a module-scoped fixture: a server on a new SQLite database holding
the world of ``tests.pg``, with a body timeout of 2 s and therapist A's API token.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from tests.pg import seed_world

from spinewise import services
from spinewise.store import open_store, upgrade


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    token: str = ""  # an API token of the served database, when the test made one

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def kill(self) -> None:
        """``kill -9``: no shutdown code runs."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)


@contextmanager
def serving(database_url: str, *args: str, **env: str) -> Iterator[Server]:
    """``spinewise serve`` on a free port of 127.0.0.1, until the block ends."""
    port = free_port()
    environment = {**os.environ, "SPINEWISE_DATABASE_URL": database_url, **env}
    command = [sys.executable, "-m", "spinewise", "serve", "--port", str(port), *args]
    process = subprocess.Popen(
        command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    server = Server(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 120  # a cold start on a loaded 2-core box
        while True:
            try:
                httpx.get(f"{server.base}/api/v1/health", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on the seeded world whose body timeout is 2 s; ``token`` is therapist
    A's API token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('served') / 'db.sqlite3'}"
    store = open_store(url)
    upgrade(store)
    token = services.issue_api_token(store, seed_world(store).therapist_a).token
    store.dispose()
    with serving(url, SPINEWISE_REQUEST_BODY_SECONDS="2") as running:
        running.token = token
        yield running
