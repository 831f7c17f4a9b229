"""``spinewise db upgrade | status | backup | downgrade`` on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.pg import ON_POSTGRESQL_ONLY
from typer.testing import CliRunner, Result

from spinewise.cli import app
from spinewise.store import current_revision, head_revision, open_store
from spinewise.store.audit_spool import spool_directory
from spinewise.store.audit_spool_quarantine import QUARANTINE, BadLine, quarantine

runner = CliRunner()


def run(url: str, *args: str, **env: str) -> Result:
    return runner.invoke(app, list(args), env={"SPINEWISE_DATABASE_URL": url, **env})


def test_upgrade_creates_the_schema_and_status_reports_it(
    empty_database_url: str,
) -> None:
    status = run(empty_database_url, "db", "status")
    assert status.exit_code == 0, status.stderr
    assert "(empty)" in status.stdout
    upgraded = run(empty_database_url, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.stderr
    assert f"schema {head_revision()} (up to date)" in upgraded.stdout
    store = open_store(empty_database_url)
    try:
        assert current_revision(store) == head_revision()
    finally:
        store.dispose()


def test_downgrade_asks_first_and_then_removes_the_schema(
    empty_database_url: str,
) -> None:
    run(empty_database_url, "db", "upgrade")
    refused = runner.invoke(
        app,
        ["db", "downgrade", "base"],
        input="n\n",
        env={"SPINEWISE_DATABASE_URL": empty_database_url},
    )
    assert refused.exit_code != 0
    done = run(empty_database_url, "db", "downgrade", "base", "--yes")
    assert done.exit_code == 0, done.stderr
    assert "schema (empty)" in done.stdout


def test_backup_writes_a_copy_and_never_overwrites(
    empty_database_url: str, tmp_path: Path
) -> None:
    run(empty_database_url, "db", "upgrade")
    target = tmp_path / "spinewise.backup"
    done = run(empty_database_url, "db", "backup", str(target))
    assert done.exit_code == 0, done.stderr
    assert target.stat().st_size > 0
    again = run(empty_database_url, "db", "backup", str(target))
    assert again.exit_code == 2
    assert "already exists" in again.stderr


@ON_POSTGRESQL_ONLY
def test_an_unmigrated_postgresql_database_is_refused_until_upgraded(
    empty_database_url: str,
) -> None:
    refused = run(
        empty_database_url, "patients", "list", "-u", "x", SPINEWISE_PASSWORD="x"
    )
    assert refused.exit_code == 2
    assert "spinewise db upgrade" in refused.stderr


def test_a_bad_database_url_is_an_error_naming_the_setting() -> None:
    result = run("mysql://nobody@nowhere/db", "db", "status")
    assert result.exit_code == 2
    assert "database_url" in result.stderr


def test_status_reads_only_the_database_url_and_other_commands_check_the_rest(
    empty_database_url: str,
) -> None:
    status = run(empty_database_url, "db", "status", SPINEWISE_PORT="eighty")
    assert status.exit_code == 0, status.stderr
    refused = run(empty_database_url, "db", "upgrade", SPINEWISE_PORT="eighty")
    assert refused.exit_code == 2
    assert "port" in refused.stderr


def test_a_new_sqlite_file_gets_its_schema_on_first_use(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'first' / 'use.sqlite3'}"
    result = run(url, "demo")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "first" / "use.sqlite3").exists()


@pytest.mark.parametrize("mode", ["production"])
def test_the_demo_is_refused_in_production(tmp_path: Path, mode: str) -> None:
    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    result = run(url, "demo", SPINEWISE_MODE=mode, SPINEWISE_SECRET_KEY="x" * 40)
    assert result.exit_code == 2
    assert "production" in result.stderr


def test_status_says_how_many_audit_spool_lines_were_set_aside_and_where(
    tmp_path: Path,
) -> None:
    path = tmp_path / "clinic.sqlite3"
    url = f"sqlite:///{path}"
    assert run(url, "db", "upgrade").exit_code == 0
    assert "audit spool" not in run(url, "db", "status").stdout
    directory = spool_directory(path)  # where the store puts them
    directory.mkdir(mode=0o700)
    for offset in (0, 90):
        quarantine(directory, BadLine("a.spool", offset, b"?\n", "ValueError: ?"))
    status = run(url, "db", "status")
    assert status.exit_code == 0, status.stderr
    file = directory / QUARANTINE
    assert f"audit spool: 2 unreadable lines set aside in {file}" in status.stdout
    as_json = run(url, "db", "status", "--json")
    assert json.loads(as_json.stdout)["quarantined_audit_lines"] == 2
