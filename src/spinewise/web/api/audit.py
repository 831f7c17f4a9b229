"""The audit trail of the clinic (administrators only; reading it is audited too)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from spinewise.services import Action, AuditEntry, AuditFilter, Interface, list_audit
from spinewise.web.api.bodies import MAX_ID
from spinewise.web.api.schemas import error_responses
from spinewise.web.deps import ApiActor, StoreDep

router = APIRouter(tags=["audit"])


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """A time without a zone is read as UTC (the trail's own zone)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


@router.get(
    "/audit",
    summary="Audit events of the clinic, newest first (admins)",
    responses=error_responses(401, 403, 422),
)
def read_audit(
    store: StoreDep,
    actor: ApiActor,
    username: Annotated[str | None, Query(max_length=64)] = None,
    patient_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    action: Action | None = None,
    entity: Annotated[str | None, Query(max_length=64)] = None,
    interface: Interface | None = None,
    since: Annotated[
        dt.datetime | None, Query(description="ISO time; without a zone: UTC")
    ] = None,
    until: Annotated[
        dt.datetime | None, Query(description="ISO time; without a zone: UTC")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> list[AuditEntry]:
    filters = AuditFilter(
        username=username,
        patient_id=patient_id,
        action=action,
        entity=entity,
        interface=interface,
        since=as_utc(since),
        until=as_utc(until),
        limit=limit,
    )
    return list_audit(store, actor, filters)
