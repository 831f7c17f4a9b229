"""Hot reads as prepared statements: a Core SELECT compiled once per database kind.

``Prepared(select(...)).rows(session, {...})`` runs the statement's SQL text straight
on the unit of work's driver connection (inside its transaction) and converts each
column with the type's own result processor, so a read by id costs one driver
``execute`` plus a tuple per row: no statement compilation or cache lookup, no
result object, no ORM instance. The drivers cache the prepared statement by its text
(sqlite3's statement cache; psycopg prepares a statement executed repeatedly).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select, Table, bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from spinewise.errors import N_, FieldProblem, InputError, StoreError

Processor = Callable[[Any], Any] | None
ONE_STATEMENT_ROWS = 500  # rows of one multi-row INSERT (PostgreSQL: 65,535 values)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...] | None  # positional parameter order; None: named
    defaults: Mapping[str, Any]
    converting: tuple[tuple[int, Callable[[Any], Any]], ...]  # (column, processor)


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
        converting = tuple(
            (index, processor)
            for index, processor in enumerate(processors)
            if processor is not None
        )
        found = _Compiled(str(compiled), names, defaults, converting)
        self._compiled[dialect.name] = found
        return found

    def rows(self, session: Session, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """The rows for ``params`` in the session's transaction."""
        connection = session.connection()
        return self.rows_on(connection.connection, connection.dialect, params)

    def rows_on(
        self, dbapi_connection: Any, dialect: Dialect, params: Mapping[str, Any]
    ) -> list[Sequence[Any]]:
        """The rows for ``params`` on a driver connection, each column converted as
        the Core would."""
        compiled = self._compiled.get(dialect.name) or self._compile(dialect)
        defaults = compiled.defaults
        given: Any
        if compiled.names is not None:  # positional: no merged dict made
            given = [params[n] if n in params else defaults[n] for n in compiled.names]
        else:
            given = {**defaults, **params} if defaults else params
        try:
            if dialect.name == "sqlite":  # the driver's own shortcut, one call
                fetched = dbapi_connection.execute(compiled.sql, given).fetchall()
            else:
                cursor = dbapi_connection.cursor()
                try:
                    cursor.execute(compiled.sql, given)
                    fetched = cursor.fetchall()
                finally:
                    cursor.close()
        except dialect.loaded_dbapi.Error as exc:
            raise StoreError(f"database error: {exc}") from exc
        converting = compiled.converting
        if not converting:
            return list(fetched)
        rows: list[Sequence[Any]] = []
        for row in fetched:
            converted = list(row)
            for index, processor in converting:
                if converted[index] is not None:
                    converted[index] = processor(converted[index])
            rows.append(converted)
        return rows


class Statements(Protocol):
    """A unit of work's transaction as repositories use it (store/uow.py): prepared
    statements on its driver connection, and its ORM session for the rest."""

    @property
    def session(self) -> Session: ...

    def rows(
        self, query: Prepared, params: Mapping[str, Any]
    ) -> list[Sequence[Any]]: ...

    def insert(self, statement: PreparedInsert, row: Mapping[str, Any]) -> int: ...

    def insert_many(
        self, statement: PreparedInsert, rows: Sequence[Mapping[str, Any]]
    ) -> None: ...


class PreparedInsert:
    """An INSERT of whole rows into one table, compiled once per kind of database,
    each value converted by its column type as the Core would (``executemany``).

    ``skip_conflicts`` names a unique key: a row whose key is taken is skipped
    (``ON CONFLICT (...) DO NOTHING``, SQLite and PostgreSQL alike), and ``added``
    tells for one row whether it was inserted."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[str],
        *,
        skip_conflicts: Sequence[str] = (),
    ) -> None:
        self._table = table
        self._columns = tuple(columns)
        self._skip = tuple(skip_conflicts)
        self._compiled: dict[
            tuple[str, bool], tuple[str, bool, tuple[Processor, ...]]
        ] = {}
        self._many: dict[tuple[str, int], str] = {}

    def _statement(self, dialect: Dialect, returning: bool) -> Any:
        values: dict[str, Any] = {name: bindparam(name) for name in self._columns}
        if not self._skip:
            statement: Any = insert(self._table).values(values)
        else:
            kind = postgresql if dialect.name == "postgresql" else sqlite
            statement = kind.insert(self._table).values(values)
            statement = statement.on_conflict_do_nothing(
                index_elements=list(self._skip)
            )
        if returning:
            statement = statement.returning(*self._table.primary_key.columns)
        return statement

    def _compile(
        self, dialect: Dialect, returning: bool
    ) -> tuple[str, bool, tuple[Processor, ...]]:
        compiled = self._statement(dialect, returning).compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if dialect.positional else None
        if order is not None and order != self._columns:
            raise StoreError(f"unexpected parameter order in {compiled}")
        processors = tuple(
            self._table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in self._columns
        )
        found = (str(compiled), dialect.positional, processors)
        self._compiled[(dialect.name, returning)] = found
        return found

    def _given(
        self,
        dialect: Dialect,
        rows: Sequence[Mapping[str, Any]],
        returning: bool = False,
    ) -> tuple[str, list[Any]]:
        sql, positional, processors = self._compiled.get(
            (dialect.name, returning)
        ) or self._compile(dialect, returning)
        columns = self._columns
        converting = [(i, p) for i, p in enumerate(processors) if p is not None]
        values: list[tuple[Any, ...]] = []
        for row in rows:  # only the columns with a processor are converted
            value = [row.get(c) for c in columns]
            for index, processor in converting:
                if value[index] is not None:
                    value[index] = processor(value[index])
            values.append(tuple(value))
        if positional:
            return sql, values
        return sql, [dict(zip(columns, v, strict=True)) for v in values]

    def run(
        self, dbapi_connection: Any, dialect: Dialect, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Insert ``rows`` (a missing column is NULL) in the connection's transaction."""
        sql, given = self._given(dialect, rows)
        _execute(dbapi_connection, dialect, sql, given, many=True)

    def run_as_one(
        self, dbapi_connection: Any, dialect: Dialect, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Insert ``rows`` (at most ``ONE_STATEMENT_ROWS``) with one multi-row
        statement: on a connection in autocommit, one round trip and one atomic
        transaction, no ``BEGIN`` or ``COMMIT``. Compiled once per row count."""
        if not 0 < len(rows) <= ONE_STATEMENT_ROWS or self._skip:
            raise StoreError(f"run_as_one takes 1 to {ONE_STATEMENT_ROWS} rows")
        key = (dialect.name, len(rows))
        sql = self._many.get(key)
        if sql is None:
            values: list[dict[str, Any]] = [
                {name: bindparam(f"{name}_{n}") for name in self._columns}
                for n in range(len(rows))
            ]
            sql = self._many[key] = str(
                insert(self._table).values(values).compile(dialect=dialect)
            )
        _, given = self._given(dialect, rows)
        flat: Any
        if dialect.positional:
            flat = [value for row in given for value in row]
        else:
            flat = {f"{name}_{n}": v for n, row in enumerate(given)
                    for name, v in row.items()}  # fmt: skip
        _execute(dbapi_connection, dialect, sql, flat)

    def added(
        self, dbapi_connection: Any, dialect: Dialect, row: Mapping[str, Any]
    ) -> bool:
        """Insert one row unless its key is taken (``skip_conflicts``); whether it
        was inserted."""
        if not self._skip:
            raise StoreError("added() needs a key to skip conflicts on")
        sql, given = self._given(dialect, [row], returning=True)
        return (
            _execute(dbapi_connection, dialect, sql, given[0], fetch=True) is not None
        )

    def inserted_id(
        self, dbapi_connection: Any, dialect: Dialect, row: Mapping[str, Any]
    ) -> int:
        """Insert one row; the id the database gave it (SQLite's last row id,
        PostgreSQL's ``RETURNING``). A driver error is raised as SQLAlchemy's
        (``IntegrityError`` ...), which a unit of work translates to the field."""
        on_sqlite = dialect.name == "sqlite"
        sql, given = self._given(dialect, [row], returning=not on_sqlite)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql, given[0])
            key = cursor.lastrowid if on_sqlite else cursor.fetchone()[0]
        except dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                sql, given[0], exc, dialect.loaded_dbapi.Error, dialect=dialect
            ) from exc
        finally:
            cursor.close()
        if not key:
            raise StoreError(f"{self._table.name}: the database assigned no id")
        return int(key)


def _execute(
    dbapi_connection: Any,
    dialect: Dialect,
    sql: str,
    given: Any,
    *,
    many: bool = False,
    fetch: bool = False,
) -> Any:
    """Run ``sql`` on a cursor of its own (``executemany`` when ``many``), closed
    after; the first row when ``fetch``. A driver error becomes a ``StoreError``."""
    cursor = dbapi_connection.cursor()
    try:
        if many:
            cursor.executemany(sql, given)
        else:
            cursor.execute(sql, given)
        return cursor.fetchone() if fetch else None
    except dialect.loaded_dbapi.Error as exc:
        raise StoreError(f"database error: {exc}") from exc
    finally:
        cursor.close()


def refuse_nul(rows: Iterable[Mapping[str, Any]]) -> None:
    """As the store's engines do for every statement (store/db.py): no NUL character
    in text, a 422 rather than a database error (for statements run on the driver)."""
    for row in rows:
        if any(isinstance(v, str) and "\x00" in v for v in row.values()):
            raise InputError(
                [
                    FieldProblem(
                        "(text)", N_("text must not contain the NUL character (\\x00)")
                    )
                ]
            )
