"""Reading the audit trail (clinic admins; the reading is itself an audit event)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from spinewise.errors import N_
from spinewise.models import DbId
from spinewise.services.access.actors import ADMINS, Actor, Interface, require
from spinewise.services.audit import Action, log
from spinewise.services.records import AuditEntry
from spinewise.services.unit import unit
from spinewise.store import AuditQuery, Store


class AuditFilter(BaseModel):
    """Filters of ``list_audit``; unset means any."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    username: str | None = Field(default=None, max_length=64)
    patient_id: DbId | None = None
    action: Action | None = None
    entity: str | None = Field(default=None, max_length=64)
    interface: Interface | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    limit: int = Field(default=100, ge=1, le=10_000)


def list_audit(
    store: Store, actor: Actor, filters: AuditFilter | None = None
) -> list[AuditEntry]:
    """The clinic's audit events, newest first (clinic admins only; itself audited)."""
    filters = filters or AuditFilter()
    store.flush_audit()  # this process's spooled read events first
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("read the audit trail"))
        rows = uow.audit.query(
            AuditQuery(
                clinic_id=actor.clinic_id,
                username=filters.username,
                patient_id=filters.patient_id,
                action=filters.action.value if filters.action else None,
                entity=filters.entity,
                interface=filters.interface.value if filters.interface else None,
                since=filters.since,
                until=filters.until,
                limit=filters.limit,
            )
        )
        entries = [AuditEntry.model_validate(row) for row in rows]
        log(
            uow,
            actor,
            Action.READ,
            "audit",
            detail=filters.model_dump(mode="json", exclude_none=True),
        )
    return entries
