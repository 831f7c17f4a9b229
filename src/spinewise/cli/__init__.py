"""The ``spinewise`` command line (typer + rich).

Each command module registers itself through ``register(app)``; the list below is the
whole command set. Errors from the core become ``file: field: message`` on stderr and
exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="spinewise",
    help="Massage in disc herniation: screening, clearance, course plans and outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

_COMMAND_MODULES = (
    "screen",
    "kb",
    "reference",
    "db",
    "records",
    "clearance",
    "audit",
    "demo",
    "accounts",
    "cohort",
    "serve",
    "plan",
    "session",
    "outcomes",
    "fhir",
    "feedback",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"spinewise.cli.{_name}").register(app)


def main() -> None:
    """Entry point of the ``spinewise`` script."""
    app()


__all__ = ["app", "main"]
