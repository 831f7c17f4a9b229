"""The audit trail: who read, created, changed or exported what, when, from where.

Services write events inside the same unit of work as the change they describe, so an
event exists exactly when its change was committed. Nothing here updates or deletes an
event, and the database refuses it too (triggers on SQLite and PostgreSQL).

Every event records its interface (the actor's) and the client address: the web tier
sets it for each request with ``client_origin``; outside a request it is ``local``.
A list read is one event naming every patient shown (``patient_ids``), not one event
per row, so reading a long list cannot flood the trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from enum import StrEnum
from typing import Any

from spinewise.services.access.actors import Actor, Interface
from spinewise.store import ReadUnit, UnitOfWork

LOCAL = "local"
_CLIENT_ADDRESS: ContextVar[str] = ContextVar("spinewise_client_address", default=LOCAL)


@contextmanager
def client_origin(address: str) -> Iterator[None]:
    """Record ``address`` as the client of every event written inside the block."""
    token = _CLIENT_ADDRESS.set(address[:64] or "unknown")
    try:
        yield
    finally:
        _CLIENT_ADDRESS.reset(token)


def client_address() -> str:
    """The client address of the request being served (``local`` outside one)."""
    return _CLIENT_ADDRESS.get()


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    CHANGE = "change"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    DENIED = "denied"
    ERASE = "erase"


def event(
    actor: Actor,
    action: Action,
    entity: str,
    entity_id: object = None,
    *,
    patient_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit row for an action of ``actor``."""
    return {
        "clinic_id": actor.clinic_id,
        "user_id": actor.user_id,
        "username": actor.username,
        "role": actor.role.value,
        "interface": actor.interface.value,
        "action": action.value,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "patient_id": patient_id,
        "detail": detail,
        "client_address": client_address(),
    }


def system_event(
    interface: Interface,
    action: Action,
    entity: str,
    entity_id: object = None,
    *,
    clinic_id: int | None = None,
    username: str | None = None,
    detail: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An audit row with no authenticated actor (bootstrap, failed logins, backups)."""
    return {
        "clinic_id": clinic_id,
        "user_id": None,
        "username": username,
        "role": None,
        "interface": interface.value,
        "action": action.value,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "patient_id": None,
        "detail": detail,
        "client_address": client_address(),
    }


def log(
    uow: UnitOfWork | ReadUnit,
    actor: Actor,
    action: Action,
    entity: str,
    entity_id: object = None,
    *,
    patient_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record one event of ``actor`` in the unit of work."""
    uow.audit.append(
        [event(actor, action, entity, entity_id, patient_id=patient_id, detail=detail)]
    )


def log_reads(
    uow: UnitOfWork | ReadUnit,
    actor: Actor,
    entity: str,
    read: Iterable[tuple[int, object]],
    *,
    detail: dict[str, Any] | None = None,
) -> None:
    """The ``read`` of (patient id, entity id) pairs: one event, naming the entity
    id when one record was read, else listing the ids read and the patients shown
    (ids only, never names); nothing when nothing was read."""
    pairs = read if isinstance(read, list) else list(read)
    if len(pairs) == 1:
        patient, key = pairs[0]
        uow.audit.append(
            [event(actor, Action.READ, entity, key, patient_id=patient, detail=detail)]
        )
        return
    if not pairs:
        return
    patients = sorted({patient for patient, _ in pairs})
    listed = {**(detail or {}), "ids": [str(key) for _, key in pairs]}
    row = event(
        actor,
        Action.READ,
        entity,
        patient_id=patients[0] if len(patients) == 1 else None,
        detail=listed,
    )
    row["patient_ids"] = "," + ",".join(str(p) for p in patients) + ","
    uow.audit.append([row])
