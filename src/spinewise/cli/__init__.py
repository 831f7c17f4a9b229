"""The ``spinewise`` command line (typer + rich).

Each command module registers its commands through ``register(app)``; the explicit
list below is the whole command set. Errors from the core become ``file: field: message`` on stderr and
exit status 2, never a traceback.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="spinewise",
    help="Massage in disc herniation: screening, clearance, course plans and outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# The command set, registered explicitly in the order ``--help`` lists it. Each
# module imports only typer and light models at the top; what a command needs to
# run (services, the store through them, polars) it imports when it runs.
from spinewise.cli import (  # noqa: E402
    accounts,
    audit,
    clearance,
    cohort,
    db,
    demo,
    feedback,
    fhir,
    kb,
    outbox,
    outcomes,
    plan,
    records,
    reference,
    screen,
    serve,
    session,
)
from spinewise.cli.context import start_run  # noqa: E402


@app.callback()
def _new_run() -> None:
    start_run()


for _commands in (
    screen,
    kb,
    reference,
    db,
    records,
    clearance,
    audit,
    demo,
    accounts,
    cohort,
    serve,
    plan,
    session,
    outcomes,
    outbox,
    fhir,
    feedback,
):
    _commands.register(app)


def main() -> None:
    """Entry point of the ``spinewise`` script."""
    app()


__all__ = ["app", "main"]
