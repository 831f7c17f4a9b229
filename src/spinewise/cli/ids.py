"""Record ids on the command line, and the arguments every command spells the same.

Every id argument and option parses through ``models.integer_problem``, the parser the
pages and the API use, so ``٣`` or a 23-digit id is a usage error (exit 2) naming
the parameter, never an overflow in the database. The ``Annotated`` aliases below
(``Patient``, ``UserId``, ``Instrument``, ``JsonFlag`` …) are the one spelling of a
parameter that several commands take.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from spinewise.cli.flags import JsonFlag as JsonFlag  # spelled here for the others
from spinewise.models import INT32_MAX, integer_problem
from spinewise.models.outcome import Instrument as InstrumentCode


def record_id(text: str) -> int:
    """A record id typed on the command line (``typer.BadParameter`` otherwise)."""
    number, problem = integer_problem(text, low=1, high=INT32_MAX)
    if number is None:
        raise typer.BadParameter(problem or "not a record id")
    return number


Patient = Annotated[
    int,
    typer.Argument(
        parser=record_id,
        metavar="PATIENT",
        help="patient id (see `spinewise patients list`)",
    ),
]
OptionalPatient = Annotated[
    int | None, typer.Option("--patient", parser=record_id, help="patient id")
]
AssessmentId = Annotated[
    int,
    typer.Argument(parser=record_id, metavar="ASSESSMENT", help="assessment id"),
]
NoteId = Annotated[
    int, typer.Argument(parser=record_id, metavar="NOTE", help="session note id")
]
UserId = Annotated[
    int, typer.Argument(parser=record_id, metavar="USER_ID", help="user id")
]
Instrument = Annotated[
    InstrumentCode,
    typer.Argument(metavar="INSTRUMENT", help="nrs, odi, rmdq, ndi or startback"),
]
KbPath = Annotated[Path | None, typer.Option("--kb", help="knowledge-base folder")]
