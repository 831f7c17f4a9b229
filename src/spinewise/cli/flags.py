"""Flags several commands spell the same, kept apart from ``ids`` (which imports the
models) so that a light command such as ``db status`` starts without them."""

from __future__ import annotations

from typing import Annotated

import typer

JsonFlag = Annotated[bool, typer.Option("--json", help="print JSON (codes stay codes)")]
