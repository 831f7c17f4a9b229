"""The command line's leaf commands, found by walking the command table as click does,
and which of them print data (#16: each of those takes ``--json``)."""

from __future__ import annotations

from typer._click import Command, Context
from typer.core import TyperGroup
from typer.main import get_command

from spinewise.cli import app

NOT_DATA = {
    "serve": "runs the web server",
    "docs": "writes the reference pages",
    "kb doc": "writes the clinical-basis pages",
    "users password": "changes your own password and says only that it did",
    "report progress": "writes the progress report (PDF) to --out",
    "report discharge": "writes the discharge letter (PDF) to --out",
}
"""Commands that print no data, and why."""

ALWAYS_JSON = {"patients export", "export fhir"}
"""Commands whose output is a JSON document with or without ``--json``."""


def leaf_commands() -> dict[str, Command]:
    """Every runnable command by its path (``users add``), groups walked lazily."""
    found: dict[str, Command] = {}

    def walk(prefix: str, command: Command) -> None:
        if isinstance(command, TyperGroup):
            ctx = Context(command)
            if command.invoke_without_command and prefix:
                found[prefix] = command  # ``outbox`` lists, ``outbox deliver`` sends
            for name in command.list_commands(ctx):
                child = command.get_command(ctx, name)
                assert child is not None
                walk(f"{prefix} {name}".strip(), child)
        else:
            found[prefix] = command

    walk("", get_command(app))
    return found


def takes_json(command: Command) -> bool:
    return any("--json" in getattr(p, "opts", []) for p in command.params)
