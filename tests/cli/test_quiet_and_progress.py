"""``--quiet`` keeps only errors (and what a command prints for scripts or only once);
progress bars go to stderr on a terminal only, never with ``--json`` or ``--quiet``."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from tests.cli.running import as_user, runner

from spinewise.cli import app, output


def test_quiet_prints_nothing_when_all_goes_well(tmp_path: Path) -> None:
    cohort = str(tmp_path / "c.parquet")
    for args in (["kb", "check"], ["cohort", "generate", "30", cohort]):
        result = runner.invoke(app, ["--quiet", *args])
        assert result.exit_code == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", "")
    screened = runner.invoke(app, ["-q", "cohort", "screen", cohort])
    assert (screened.exit_code, screened.stdout, screened.stderr) == (0, "", "")


def test_quiet_keeps_the_json_asked_for_and_the_errors(tmp_path: Path) -> None:
    checked = runner.invoke(app, ["--quiet", "kb", "check", "--json"])
    assert json.loads(checked.stdout)["valid"] is True
    missing = runner.invoke(app, ["--quiet", "screen", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2
    assert missing.stdout == ""
    assert f"{tmp_path / 'none.yaml'}: (file): no such file" in missing.stderr


def test_json_output_is_only_the_document_without_a_progress_bar(
    tmp_path: Path,
) -> None:
    cohort = str(tmp_path / "c.parquet")
    runner.invoke(app, ["cohort", "generate", "30", cohort])
    result = runner.invoke(app, ["cohort", "screen", cohort, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["assessments"] == 30
    assert result.stderr == ""


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_token_shown_once_is_printed_even_when_quiet(database_url: str) -> None:
    issued = as_user(database_url, "admin-a", "--quiet", "token", "issue")
    assert issued.exit_code == 0, issued.stderr
    [token] = issued.stdout.split()
    listed = as_user(database_url, "admin-a", "-q", "token", "list")
    assert (listed.stdout, listed.exit_code) == ("", 0)
    assert len(token) > 20


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """stderr is a terminal (the notes console writes to a buffer that says so)."""
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=True, width=80)
    monkeypatch.setattr(output, "err_console", console)
    return buffer


def test_a_progress_bar_shows_on_a_terminal_only(terminal: io.StringIO) -> None:
    with output.progress_bar("screening", 10) as bar:
        assert not bar.disable
    with output.progress_bar("screening", 10, hidden=True) as bar:
        assert bar.disable  # --json
    output.err_console.quiet = True  # --quiet
    with output.progress_bar("screening", 10) as bar:
        assert bar.disable


def test_no_progress_bar_when_stderr_is_not_a_terminal() -> None:
    with output.progress_bar("screening", 10) as bar:
        assert bar.disable == (not output.err_console.is_terminal)
