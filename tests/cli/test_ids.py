"""Ids on the command line: ASCII digits within the database's range, else exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["patients", "show", "99999999999999999999999"], "must be between 1 and"),
        (["patients", "show", "0"], "must be between 1 and"),
        (["audit", "--patient", "²"], "digits 0-9"),
        (["session", "list", "٣"], "digits 0-9"),
        (["export", "fhir", "9" * 5000], "must be between 1 and"),
    ],
    ids=["huge", "zero", "superscript", "arabic-indic", "5000-digits"],
)
def test_an_id_that_is_not_ascii_digits_in_range_is_a_usage_error(
    args: list[str], problem: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert problem in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
