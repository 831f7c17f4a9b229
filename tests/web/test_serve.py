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
from spinewise.cli.serve import address_to_open, is_loopback, sign_in_help
from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import seed_demo
from spinewise.store import open_store, upgrade


def test_serve_refuses_production_without_a_secret() -> None:
    result = CliRunner().invoke(app, ["serve"], env={"SPINEWISE_MODE": "production"})
    assert result.exit_code == 2
    assert "secret_key" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "secret", [None, "", "dev-only-secret-change-me", "short-secret-31-characters-long"]
)
def test_production_on_a_network_address_refuses_to_start_without_an_accepted_secret(
    tmp_path: Path, secret: str | None
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("SPINEWISE_")
    }
    env |= {
        "SPINEWISE_MODE": "production",
        "SPINEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    if secret is not None:
        env["SPINEWISE_SECRET_KEY"] = secret
    command = [sys.executable, "-m", "spinewise", "serve", "--host", "0.0.0.0"]
    done = subprocess.run(
        [*command, "--port", str(free_port())],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stdout
    assert "secret_key" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "clinic.lan"])
def test_development_mode_refuses_a_network_address_without_the_flag(
    host: str,
) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--host", host], env={"SPINEWISE_MODE": "development"}
    )
    assert result.exit_code == 2
    assert "--insecure-dev-on-network" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("127.1.2.3", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("example.org", False),
    ],
)
def test_only_loopback_addresses_count_as_this_machine(
    host: str, loopback: bool
) -> None:
    assert is_loopback(host) is loopback


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
        deadline = time.monotonic() + 90  # a cold start on a loaded 2-core CI box
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
    wal = tmp_path / "db.sqlite3-wal"  # closed at shutdown: every write is in the file
    assert not wal.exists() or wal.stat().st_size == 0


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


def test_the_network_flag_starts_a_development_server_with_a_warning(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SPINEWISE_MODE": "development",
        "SPINEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    command = [sys.executable, "-m", "spinewise", "serve", "--host", "0.0.0.0"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--insecure-dev-on-network"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health")
                break
            except httpx.TransportError:
                assert server.poll() is None, "the server exited"
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert health.status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode()
    assert "WARNING: development mode on a network address" in output
