"""Hot reads as prepared statements: a Core SELECT compiled once per database kind.

``Prepared(select(...)).rows(session, {...})`` runs the statement's SQL text straight
on the unit of work's driver connection (inside its transaction) and converts each
column with the type's own result processor, so a read by id costs one driver
``execute`` plus a tuple per row: no statement compilation or cache lookup, no
result object, no ORM instance. The drivers cache the prepared statement by its text
(sqlite3's statement cache; psycopg prepares a statement executed repeatedly).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from spinewise.errors import StoreError

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...] | None  # positional parameter order; None: named
    defaults: Mapping[str, Any]
    processors: tuple[Processor, ...]


class Prepared:
    """One SELECT, compiled on first use by each kind of database."""

    def __init__(self, statement: Select[Any]) -> None:
        self._statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._statement.compile(dialect=dialect)
        columns = self._statement.selected_columns
        processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in columns
        )
        names = tuple(compiled.positiontup or ()) if dialect.positional else None
        defaults = {
            name: bind.effective_value
            for name, bind in compiled.binds.items()
            if name.isidentifier()
        }
        found = _Compiled(str(compiled), names, defaults, processors)
        self._compiled[dialect.name] = found
        return found

    def rows(self, session: Session, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """The rows for ``params``, each column converted as the Core would."""
        connection = session.connection()
        dialect = connection.dialect
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        values = {**compiled.defaults, **params}
        given: Any = (
            values if compiled.names is None else [values[n] for n in compiled.names]
        )
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, given)
            fetched = cursor.fetchall()
        except dialect.loaded_dbapi.Error as exc:
            raise StoreError(f"database error: {exc}") from exc
        finally:
            cursor.close()
        processors = compiled.processors
        if not any(processors):
            return list(fetched)
        return [
            tuple(
                v if p is None or v is None else p(v)
                for p, v in zip(processors, row, strict=True)
            )
            for row in fetched
        ]
