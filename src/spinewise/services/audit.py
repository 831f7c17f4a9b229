"""The audit trail: who read, created, changed or exported what, when, from where.

Services write events inside the same unit of work as the change they describe, so an
event exists exactly when its change was committed. Nothing here updates or deletes an
event, and the database refuses it too (triggers on SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from spinewise.services.actors import Actor, Interface
from spinewise.store import UnitOfWork


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    CHANGE = "change"
    EXPORT = "export"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    DENIED = "denied"


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
    }


def log(
    uow: UnitOfWork,
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
    uow: UnitOfWork,
    actor: Actor,
    entity: str,
    read: Iterable[tuple[int, object]],
    *,
    detail: dict[str, Any] | None = None,
) -> None:
    """One ``read`` event per (patient id, entity id) read, in one statement."""
    uow.audit.append(
        [
            event(actor, Action.READ, entity, key, patient_id=patient, detail=detail)
            for patient, key in read
        ]
    )
