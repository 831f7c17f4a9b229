"""Shared output helpers of the command line: consoles and the error exit."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

from spinewise.errors import InputError, KnowledgeBaseError, SpinewiseError

INVALID_INPUT = 2

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def fail(error: SpinewiseError | str) -> NoReturn:
    """Print the error (one line per field problem) on stderr and exit 2."""
    if isinstance(error, InputError):
        for problem in error.problems:
            prefix = f"{error.file}: " if error.file else ""
            err_console.print(f"{prefix}{problem}", markup=False, soft_wrap=True)
    elif isinstance(error, KnowledgeBaseError):
        err_console.print(
            f"knowledge base error: {error}", markup=False, soft_wrap=True
        )
    else:
        err_console.print(f"error: {error}", markup=False, soft_wrap=True)
    raise typer.Exit(INVALID_INPUT)
