"""A patient's open questionnaire links, and cancelling one (web and CLI).

A link made for the clinic's tablet or printed as a QR code has no message to cancel
on the Messages page; here any open link of the clinic's patients can be closed. A
cancelled link no longer opens, and a queued e-mail or reminder that carries it is
cancelled when its turn comes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.models.outcome import Instrument
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log, log_reads
from spinewise.services.unit import patient_of, unit
from spinewise.store import QuestionnaireLinkRow, QuestionnaireLinks, Store, utc_now


class OpenLink(BaseModel):
    """A link not answered, cancelled or expired (its token is never shown again)."""

    model_config = ConfigDict(frozen=True)

    id: int
    patient_id: int
    instrument: Instrument
    language: str
    created_at: dt.datetime
    expires_at: dt.datetime


def open_links(store: Store, actor: Actor, patient_id: int) -> list[OpenLink]:
    """The patient's open links, newest first (audited as a read)."""
    with unit(store, actor, read=True) as uow:
        require(actor, CLINICIANS, N_("see questionnaire links"))
        patient_of(uow, actor, patient_id)
        now = utc_now()
        rows = [
            r
            for r in QuestionnaireLinks(uow.session).of_patient(
                actor.clinic_id, patient_id
            )
            if r.used_at is None and r.cancelled_at is None and r.expires_at > now
        ]
        log_reads(uow, actor, "questionnaire_link", [(patient_id, r.id) for r in rows])
        return [OpenLink.model_validate(r, from_attributes=True) for r in rows]


def cancel_link(
    store: Store, actor: Actor, link_id: int, patient_id: int | None = None
) -> OpenLink:
    """Close an open link of the clinic (audited); ``ConflictError`` if it is not
    open any more, "not found" for another clinic's (or, given ``patient_id``,
    another patient's)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("cancel questionnaire links"))
        row = uow.session.get(QuestionnaireLinkRow, link_id)
        if (
            row is None
            or row.clinic_id != actor.clinic_id
            or patient_id not in (None, row.patient_id)
        ):
            raise NotFoundError(N_("questionnaire link"), link_id)
        record = OpenLink.model_validate(row, from_attributes=True)
        if not QuestionnaireLinks(uow.session).cancel(
            actor.clinic_id, link_id, utc_now()
        ):
            raise ConflictError(
                N_("link {link_id} is already answered or cancelled", link_id=link_id),
                field="id",
            )
        log(
            uow,
            actor,
            Action.CHANGE,
            "questionnaire_link",
            link_id,
            patient_id=row.patient_id,
            detail={"cancelled": True},
        )
        return record
