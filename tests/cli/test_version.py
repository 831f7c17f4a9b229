"""``spinewise --version`` names the installed version and runs no command."""

from __future__ import annotations

from typer.testing import CliRunner

import spinewise
from spinewise.cli import app


def test_version_prints_the_package_version_and_exits_zero() -> None:
    result = CliRunner().invoke(app, ["--version", "db", "status"])
    assert result.exit_code == 0
    assert result.stdout == f"spinewise {spinewise.__version__}\n"
