"""The unit of work: one transaction, the repositories on it, database errors translated.

``with store.unit_of_work(write=True) as uow:`` commits when the block ends normally and
rolls back when it raises, so a failure half-way leaves nothing half-written. A
constraint the database refuses becomes a ``ConflictError`` (a duplicate, naming the
field) or an ``InputError`` (a malformed value, naming the field).

The transaction is one engine ``Connection``, begun when the unit first touches the
database. The hot writes (an assessment version, its decision, audit events) and the
hot reads are prepared statements run straight on its driver connection
(store/prepared.py); the ORM ``Session`` is made only when a repository that needs
it is first used, and joins the same transaction (it flushes, the unit commits). A
screening stored through the unit — assessment, decision, audit events — therefore
costs two or three driver INSERTs between ``BEGIN IMMEDIATE`` and ``COMMIT``, no
``Session``, no ORM instance (issue 19).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from spinewise.errors import (
    N_,
    ConflictError,
    FieldProblem,
    InputError,
    SpinewiseError,
    StoreError,
)
from spinewise.store.accounts import ApiTokens, Clinics, Users
from spinewise.store.audit import AuditLog
from spinewise.store.constraints import refused_constraint
from spinewise.store.decisions import Clearances, Decisions
from spinewise.store.patients import Assessments, Patients
from spinewise.store.prepared import Prepared, PreparedInsert, refuse_nul

if TYPE_CHECKING:
    from spinewise.store.audit_writer import ReadAudit
    from spinewise.store.write_gate import WriteGate


def translate(error: DBAPIError) -> SpinewiseError:
    """A Spinewise error for a database error: the field for a refused constraint."""
    if isinstance(error, IntegrityError):
        refused = refused_constraint(error)
        if refused.kind == "unique":
            return ConflictError(
                N_(
                    "{table}: a record with this {field} already exists",
                    table=refused.table,
                    field=refused.field,
                ),
                field=refused.field,
            )
        if refused.kind in ("check", "not null", "reference"):
            return InputError(
                [
                    FieldProblem(
                        refused.field,
                        N_("refused by the database ({kind})", kind=refused.kind),
                    )
                ]
            )
    return StoreError(N_("database error: {orig}", orig=error.orig))


R = TypeVar("R")


class _Made(Generic[R]):
    """A repository made on first use and kept in the unit's ``__dict__`` (what
    ``functools.cached_property`` does, without its lock: a unit is one thread's)."""

    def __init__(self, make: Callable[[UnitOfWork], R]) -> None:
        self._make = make
        self._name = make.__name__

    def __get__(self, unit: UnitOfWork, owner: type[UnitOfWork]) -> R:
        made = unit.__dict__[self._name] = self._make(unit)
        return made


_REPOSITORIES = (
    "clinics",
    "users",
    "api_tokens",
    "patients",
    "assessments",
    "decisions",
    "clearances",
    "audit",
)


class UnitOfWork:
    """One transaction with its repositories; a context manager that owns it."""

    def __init__(
        self,
        bind: Engine,
        audit_writer: ReadAudit | None = None,
        gate: WriteGate | None = None,
    ) -> None:
        """``audit_writer`` given: a reading unit whose audit events are committed by
        the writer when the unit ends, before the block's result is used. ``gate``
        given: a writing unit that holds the process's turn for the write lock
        (store/write_gate.py) from start to end."""
        self._bind = bind
        self._audit_writer = audit_writer
        self._gate = gate
        self._connection: Connection | None = None
        self._driver: Any = None
        self._session: Session | None = None
        self._pending: list[dict[str, Any]] = []
        self.dialect: Dialect = bind.dialect

    def __enter__(self) -> UnitOfWork:
        if self._gate is not None:
            self._gate.acquire()
        return self

    @property
    def connection(self) -> Connection:
        """The unit's connection, its transaction begun (on first use)."""
        return self._connection or self._connect()

    def _connect(self) -> Connection:
        connection = self._bind.connect()
        try:
            connection.begin()
            self._driver = connection.connection.driver_connection
        except BaseException:
            connection.close()
            raise
        self._connection = connection
        return connection

    def _dbapi(self) -> Any:
        """The driver connection under ``connection``."""
        if self._connection is None:
            self._connect()
        return self._driver

    @property
    def session(self) -> Session:
        """The ORM session, in the unit's transaction (made on first use)."""
        if self._session is None:
            self._session = Session(
                self.connection,
                expire_on_commit=False,
                autoflush=False,
                join_transaction_mode="rollback_only",
            )
        return self._session

    def rows(self, query: Prepared, params: Mapping[str, Any]) -> list[Sequence[Any]]:
        """The rows of a prepared SELECT in the unit's transaction."""
        return query.rows_on(self._dbapi(), self.dialect, params)

    def insert(self, statement: PreparedInsert, row: Mapping[str, Any]) -> int:
        """Insert one row with a prepared INSERT in the unit's transaction; its id."""
        refuse_nul([row])
        return statement.inserted_id(self._dbapi(), self.dialect, row)

    def insert_many(
        self, statement: PreparedInsert, rows: Sequence[Mapping[str, Any]]
    ) -> None:
        """Insert rows with a prepared INSERT in the unit's transaction."""
        refuse_nul(rows)
        try:
            statement.run(self._dbapi(), self.dialect, rows)
        except StoreError as exc:  # raised as SQLAlchemy's, translated at the end
            cause = exc.__cause__
            if isinstance(cause, self.dialect.loaded_dbapi.Error):
                raise DBAPIError.instance(
                    None, None, cause, self.dialect.loaded_dbapi.Error
                ) from cause
            raise

    @_Made
    def clinics(self) -> Clinics:
        return Clinics(self.session)

    @_Made
    def users(self) -> Users:
        return Users(self.session)

    @_Made
    def api_tokens(self) -> ApiTokens:
        return ApiTokens(self.session)

    @_Made
    def patients(self) -> Patients:
        return Patients(self.session)

    @_Made
    def assessments(self) -> Assessments:
        return Assessments(self)

    @_Made
    def decisions(self) -> Decisions:
        return Decisions(self)

    @_Made
    def clearances(self) -> Clearances:
        return Clearances(self.session)

    @_Made
    def audit(self) -> AuditLog:
        return AuditLog(self, deferred=self._audit_writer is not None)

    def _end(self, commit: bool) -> None:
        if commit:
            if self._session is not None:
                self._session.commit()  # a flush: the transaction is the unit's
            if self._connection is not None:
                self._connection.commit()
            return
        if self._session is not None:
            self._session.rollback()
        if self._connection is not None and self._connection.in_transaction():
            self._connection.rollback()

    def _close(self) -> None:
        pending = self.__dict__["audit"].pending if "audit" in self.__dict__ else []
        for name in _REPOSITORIES:  # they refer back to the unit: no cycle left
            self.__dict__.pop(name, None)
        session, self._session = self._session, None
        connection, self._connection = self._connection, None
        self._driver = None
        self._pending = pending
        try:
            if session is not None:
                session.close()
        finally:
            if connection is not None:
                connection.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._end(commit=exc is None)
        except DBAPIError as error:
            self._end(commit=False)
            raise translate(error) from error
        finally:
            self._close()
            if self._gate is not None:
                self._gate.release()
        if isinstance(exc, DBAPIError):
            raise translate(exc) from exc
        if exc is None and self._audit_writer is not None and self._pending:
            self._audit_writer.append(self._pending)
