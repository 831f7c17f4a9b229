"""Text and flag parameters are taken as given without pydantic; every other value
still goes through typer's own coercion, with its errors."""

from __future__ import annotations

import subprocess
import sys

import typer
from typer.testing import CliRunner

from spinewise.cli.plain_params import AsGiven, plain_params

runner = CliRunner()


def scratch_app() -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None)

    @app.command()
    def echo(
        name: str = typer.Option("none", "--name"),
        loud: bool = typer.Option(False, "--loud", envvar="SCRATCH_LOUD"),
        times: int = typer.Option(1, "--times", min=1),
    ) -> None:
        typer.echo(f"{name!r} {loud!r} {times!r}")

    @app.command()
    def other() -> None:
        pass

    return app


def test_text_and_flags_arrive_as_written_and_numbers_as_typer_makes_them() -> None:
    result = runner.invoke(
        scratch_app(), ["echo", "--name", " 007 ", "--loud", "--times", "3"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "' 007 ' True 3"


def test_a_flag_from_the_environment_is_read_by_typers_own_coercion() -> None:
    result = runner.invoke(scratch_app(), ["echo"], env={"SCRATCH_LOUD": "yes"})
    assert result.stdout.strip() == "'none' True 1"
    wrong = runner.invoke(scratch_app(), ["echo"], env={"SCRATCH_LOUD": "maybe"})
    assert wrong.exit_code == 2


def test_a_number_out_of_range_is_still_refused() -> None:
    result = runner.invoke(scratch_app(), ["echo", "--times", "0"])
    assert result.exit_code == 2
    assert "--times" in result.stderr


def test_only_text_and_flags_get_the_plain_coercion() -> None:
    command = typer.main.get_command(scratch_app())
    context = typer.Context(command)
    plain_params(command, context)
    echo = command.commands["echo"]  # type: ignore[attr-defined]
    kinds = {
        param.name: type(param._runtime_param).__name__
        for param in echo.get_params(context)
    }
    assert kinds == {
        "name": AsGiven.__name__,
        "loud": AsGiven.__name__,
        "times": "NoneType",  # typer builds its own when first needed
        "help": AsGiven.__name__,
    }


def test_db_status_and_help_start_without_pydantic() -> None:
    probe = (
        "import sys\n"
        "from spinewise.cli import main\n"
        "for argv in (['--help'], ['db', 'status'], ['db', 'status', '--help']):\n"
        "    sys.argv = ['spinewise', *argv]\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('LOADED', sorted(m for m in sys.modules if m.startswith('pydantic')),"
        " file=sys.stderr)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"SPINEWISE_DATABASE_URL": "sqlite://", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert "LOADED []" in run.stderr
