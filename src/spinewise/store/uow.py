"""The unit of work: one transaction, the repositories on it, database errors translated.

``with store.unit_of_work(write=True) as uow:`` commits when the block ends normally and
rolls back when it raises, so a failure half-way leaves nothing half-written. A
constraint the database refuses becomes a ``ConflictError`` (a duplicate, naming the
field) or an ``InputError`` (a malformed value, naming the field).
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine
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


class UnitOfWork:
    """A session with its repositories; a context manager that owns the transaction."""

    session: Session
    clinics: Clinics
    users: Users
    api_tokens: ApiTokens
    patients: Patients
    assessments: Assessments
    decisions: Decisions
    clearances: Clearances
    audit: AuditLog

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

    def __enter__(self) -> UnitOfWork:
        if self._gate is not None:
            self._gate.acquire()
        session = Session(self._bind, expire_on_commit=False, autoflush=False)
        self.session = session
        self.clinics = Clinics(session)
        self.users = Users(session)
        self.api_tokens = ApiTokens(session)
        self.patients = Patients(session)
        self.assessments = Assessments(session)
        self.decisions = Decisions(session)
        self.clearances = Clearances(session)
        self.audit = AuditLog(session, deferred=self._audit_writer is not None)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc is None:
                self.session.commit()
            else:
                self.session.rollback()
        except DBAPIError as error:
            self.session.rollback()
            raise translate(error) from error
        finally:
            self.session.close()
            if self._gate is not None:
                self._gate.release()
        if isinstance(exc, DBAPIError):
            raise translate(exc) from exc
        if exc is None and self._audit_writer is not None and self.audit.pending:
            self._audit_writer.append(self.audit.pending)
