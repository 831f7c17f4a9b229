"""Which constraint the database refused, and which field it guards (both databases)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlalchemy import CheckConstraint, Constraint, Table
from sqlalchemy.exc import IntegrityError

from spinewise.store.tables import metadata

_SQLITE = re.compile(
    r"(?P<kind>UNIQUE|CHECK|NOT NULL|FOREIGN KEY) constraint failed(?:: (?P<what>.*))?"
)
_SQLITE_KINDS = {
    "UNIQUE": "unique",
    "CHECK": "check",
    "NOT NULL": "not null",
    "FOREIGN KEY": "reference",
}
_PG_KINDS = {
    "23505": "unique",
    "23514": "check",
    "23502": "not null",
    "23503": "reference",
}


@dataclass(frozen=True)
class Refused:
    """A refused constraint: ``kind`` unique | check | not null | reference."""

    kind: str
    table: str
    field: str


def _columns_of(constraint: Constraint, table: Table) -> list[str]:
    if isinstance(constraint, CheckConstraint):
        words = re.findall(r"[a-z_][a-z0-9_]*", str(constraint.sqltext))
        return [w for w in words if w in table.c][:1] or [str(constraint.name)]
    return [c.name for c in getattr(constraint, "columns", [])]


@cache
def _by_name() -> dict[str, tuple[str, str]]:
    """Constraint name -> (table, guarded field), from the metadata."""
    found: dict[str, tuple[str, str]] = {}
    for table in metadata.tables.values():
        for constraint in table.constraints:
            columns = _columns_of(constraint, table)
            if constraint.name and columns:
                found[str(constraint.name)] = (table.name, columns[-1])
    return found


def _from_sqlite(message: str) -> Refused:
    match = _SQLITE.search(message)
    if match is None:
        return Refused("constraint", "(unknown)", "(record)")
    kind = _SQLITE_KINDS[match["kind"]]
    what = (match["what"] or "").strip()
    if kind == "check":
        table, field = _by_name().get(what, ("(unknown)", what or "(record)"))
        return Refused(kind, table, field)
    if kind == "reference" or not what:
        return Refused(kind, "(unknown)", "(reference)")
    last = what.split(",")[-1].strip()
    table, _, field = last.partition(".")
    return Refused(kind, table, field)


def refused_constraint(error: IntegrityError) -> Refused:
    """Describe the constraint behind ``error``."""
    orig = error.orig
    diag = getattr(orig, "diag", None)
    if diag is None:
        return _from_sqlite(str(orig))
    kind = _PG_KINDS.get(getattr(orig, "sqlstate", "") or "", "constraint")
    table = diag.table_name or "(unknown)"
    if diag.column_name:
        return Refused(kind, table, diag.column_name)
    named = _by_name().get(diag.constraint_name or "")
    if named:
        return Refused(kind, named[0], named[1])
    return Refused(kind, table, diag.constraint_name or "(record)")
