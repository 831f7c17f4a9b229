"""The unit of work a service call runs in: actor re-checked, refusals audited.

Every service call writes the audit trail. A unit that changes data is a writing one
(on SQLite, ``BEGIN IMMEDIATE``: callers queue on the lock instead of failing on a
stale snapshot); a read (``unit(..., read=True)``) runs in a reading transaction that
never waits for writers, and its audit event is durable before the unit ends
(``Store.audited_read``: spooled on a SQLite file, store/audit_spool.py; committed,
batched with other readers', elsewhere), so no read is returned unaudited. ``reading(...)`` is the same for a read that needs only the Core read
repositories (``Store.audited_reading``: no ORM ``Session``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import TypeVar

from spinewise.errors import (
    N_,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    SpinewiseError,
)
from spinewise.services.access.actors import Actor
from spinewise.services.audit import Action, event
from spinewise.store import PatientRow, ReadUnit, Standing, Store, UnitOfWork

T = TypeVar("T")
RACE_FIELDS = ("number", "version")


def _verify(uow: UnitOfWork | ReadUnit, actor: Actor) -> None:
    check_standing(uow.users.standing(actor.user_id), actor)


def check_standing(user: Standing | None, actor: Actor) -> None:
    """Refuse an actor whose user is unknown, inactive or changed clinic or role."""
    if (
        user is None
        or not user.active
        or user.clinic_id != actor.clinic_id
        or user.role != actor.role.value
    ):
        raise PermissionDeniedError(
            N_(
                "user {username} is unknown, inactive or changed role; sign in again",
                username=actor.username,
            )
        )


def _record_refusal(store: Store, actor: Actor, error: SpinewiseError) -> None:
    if isinstance(error, NotFoundError):
        entity, key = error.kind, error.key
    else:
        entity, key = "(permission)", None
    try:
        with store.unit_of_work(write=True) as uow:
            uow.audit.append(
                [event(actor, Action.DENIED, entity, key, detail={"error": str(error)})]
            )
    except SpinewiseError:
        pass  # never let the trail hide the refusal itself


@contextmanager
def unit(store: Store, actor: Actor, *, read: bool = False) -> Iterator[UnitOfWork]:
    """``with unit(store, actor) as uow:`` commit on success, roll back on error.

    ``read=True`` for a unit that changes nothing but the audit trail. A
    ``NotFoundError`` or ``PermissionDeniedError`` is recorded as a ``denied``
    audit event in a transaction of its own, then raised.
    """
    try:
        with store.audited_read() if read else store.unit_of_work(write=True) as uow:
            _verify(uow, actor)
            yield uow
    except (NotFoundError, PermissionDeniedError) as error:
        _record_refusal(store, actor, error)
        raise


def reading(
    store: Store,
    actor: Actor,
    *,
    checks_standing: bool = False,
    one_statement: bool = False,
) -> AuditedReading:
    """``unit(store, actor, read=True)`` for a read that needs only the repositories
    of a ``ReadUnit`` (Core statements, no ORM): the same actor re-check in the same
    transaction, the same audit of refusals, the read's events committed before the
    block's result is used. ``checks_standing=True``: the block's first statement
    reads the actor's standing with its data and calls ``check_standing`` before
    anything else (one statement instead of two). ``one_statement=True`` (with
    ``checks_standing``): that statement is the block's only one, its own
    transaction (``Store.audited_reading(one_statement=True)``: on SQLite no
    ``BEGIN`` and ``COMMIT`` round trips; a second statement is refused)."""
    if one_statement and not checks_standing:
        raise ValueError("a one-statement read must read the standing with its data")
    return AuditedReading(store, actor, checks_standing, one_statement)


class AuditedReading:
    """The block of ``reading``: the reading unit entered, the actor re-checked
    (unless the block reads the standing itself), a ``NotFoundError`` or
    ``PermissionDeniedError`` recorded as a refusal once the unit has ended, then
    raised. A class rather than a generator's context manager, which cost a
    microsecond more on every audited read (a quarter of what separates the read by
    id from raw sqlite3's, bench/store.py)."""

    __slots__ = ("_actor", "_checks_standing", "_store", "_unit")

    def __init__(
        self, store: Store, actor: Actor, checks_standing: bool, one_statement: bool
    ) -> None:
        self._store = store
        self._actor = actor
        self._checks_standing = checks_standing
        self._unit = store.audited_reading(one_statement=one_statement)

    def __enter__(self) -> ReadUnit:
        uow = self._unit.__enter__()
        if not self._checks_standing:
            try:
                _verify(uow, self._actor)
            except BaseException as error:
                self.__exit__(type(error), error, error.__traceback__)
                raise
        return uow

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._unit.__exit__(exc_type, exc, tb)
        except (NotFoundError, PermissionDeniedError) as error:
            _record_refusal(self._store, self._actor, error)
            raise
        if isinstance(exc, NotFoundError | PermissionDeniedError):
            _record_refusal(self._store, self._actor, exc)


def retrying(attempt: Callable[[], T], *, attempts: int = 5) -> T:
    """Run ``attempt`` again when it lost a race for a version number."""
    for remaining in range(attempts - 1, -1, -1):
        try:
            return attempt()
        except ConflictError as error:
            if error.field not in RACE_FIELDS or remaining == 0:
                raise
    raise AssertionError("unreachable")


def patient_of(
    uow: UnitOfWork, actor: Actor, patient_id: int, *, lock: bool = False
) -> PatientRow:
    """The actor's clinic's patient, or "not found" (also for another clinic's)."""
    row = uow.patients.get(actor.clinic_id, patient_id, lock=lock)
    if row is None:
        raise NotFoundError(N_("patient"), patient_id)
    return row
