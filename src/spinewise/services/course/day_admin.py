"""An administrator's day: the clinic's messages that did not go out.

Ids, kinds, attempts and the last error only: an administrator runs the clinic, not
the patients' care, so no name, address or text of a message is shown.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_
from spinewise.services.access.actors import ADMINS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.unit import unit
from spinewise.store import Outbox, Store

PROBLEM_STATUSES = ("failed", "pending")


class OutboxProblem(BaseModel):
    """A message that failed, or is still pending after a failed attempt."""

    model_config = ConfigDict(frozen=True)

    id: int
    patient_id: int
    kind: str
    status: str
    attempts: int
    last_error: str | None
    created_at: dt.datetime


def outbox_problems(store: Store, actor: Actor) -> list[OutboxProblem]:
    """The clinic's undelivered messages with a failed attempt, newest first."""
    with unit(store, actor) as uow:
        require(actor, ADMINS, N_("see the outbox problems"))
        rows = [
            r
            for r in Outbox(uow.session).of_clinic(actor.clinic_id)
            if r.status == "failed" or (r.status == "pending" and r.attempts > 0)
        ]
        log(uow, actor, Action.READ, "outbox", None, detail={"problems": len(rows)})
        return [
            OutboxProblem(
                id=r.id,
                patient_id=r.patient_id,
                kind=r.kind,
                status=r.status,
                attempts=r.attempts,
                last_error=r.last_error,
                created_at=r.created_at,
            )
            for r in rows
        ]
