"""``spinewise serve``: refuses bad settings, and really serves the app.

(It lives beside the web tests because it is the web app's entry point.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from spinewise.cli import app
from spinewise.cli.serve import address_to_open, sign_in_help
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import seed_demo
from spinewise.store import open_store, upgrade


def test_serve_refuses_production_with_the_default_secret() -> None:
    result = CliRunner().invoke(app, ["serve"], env={"SPINEWISE_MODE": "production"})
    assert result.exit_code == 2
    assert "secret_key" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:8000/"),
        ("0.0.0.0", "http://127.0.0.1:8000/"),
        ("::1", "http://[::1]:8000/"),
    ],
)
def test_serve_prints_an_address_a_browser_can_open(host: str, url: str) -> None:
    assert address_to_open(host, 8000) == url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_runs_the_app_on_the_database_of_the_settings(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SPINEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    command = [sys.executable, "-m", "spinewise", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health")
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        assert health.json()["ok"] is True
        login = httpx.get(f"http://127.0.0.1:{port}/login")
        assert "Sign in" in login.text
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert f"Open http://127.0.0.1:{port}/ in a browser" in output
    assert (tmp_path / "db.sqlite3").exists()


def test_serve_names_the_demo_logins_when_the_demo_clinic_exists(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    settings = Settings(database_url=url)
    assert "spinewise demo" in sign_in_help(settings)[0]
    store = open_store(url)
    upgrade(store)
    seed_demo(store, kb)
    store.dispose()
    shown = "\n".join(sign_in_help(settings))
    assert "therapist  (therapist)" in shown
    assert "physician  (physician)" in shown
    assert "the passwords `spinewise demo` printed" in shown
    assert "north-" not in shown
