"""Record ids on the command line: ASCII digits within the database's id range.

Every id argument and option parses through ``models.integer_problem``, the parser the
pages and the API use, so ``٣`` or a 23-digit id is a usage error (exit 2) naming
the parameter, never an overflow in the database.
"""

from __future__ import annotations

import typer

from spinewise.models import INT32_MAX, integer_problem


def record_id(text: str) -> int:
    """A record id typed on the command line (``typer.BadParameter`` otherwise)."""
    number, problem = integer_problem(text, low=1, high=INT32_MAX)
    if number is None:
        raise typer.BadParameter(problem or "not a record id")
    return number
