"""The clinic's questionnaires due and overdue, and sending one item's link.

``list_due`` shows the unanswered items due on or before today (overdue: before
today) with the state of their link; ``send_due_link`` is the clinician's one click:
a new link for the item, e-mailed to the patient (a link sent before and still open
is cancelled, so an item has one open link).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.models.outcome import Instrument
from spinewise.outcomes import INSTRUMENTS
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import log_reads
from spinewise.services.clinic.consent import has_contact_consent
from spinewise.services.convert import patient_record
from spinewise.services.course.course_records import QuestionnaireLink
from spinewise.services.course.due import schedule_and_settle
from spinewise.services.course.link_messages import mail_new_link
from spinewise.services.course.outbox import OutboxMessage, message_record
from spinewise.services.records import PatientRecord
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    DueItemRow,
    DueItems,
    QuestionnaireLinkRow,
    QuestionnaireLinks,
    Store,
    UnitOfWork,
    utc_now,
)


class DueItem(BaseModel):
    """One questionnaire due (``link``: none, open, expired or cancelled)."""

    model_config = ConfigDict(frozen=True)

    id: int
    patient: PatientRecord
    plan_id: int
    instrument: Instrument
    name: str
    milestone: str
    due_on: dt.date
    overdue: bool
    link: str
    link_expires_at: dt.datetime | None
    contactable: bool


def _link_state(
    link: QuestionnaireLinkRow | None, now: dt.datetime
) -> tuple[str, dt.datetime | None]:
    if link is None:
        return "none", None
    if link.cancelled_at is not None:
        return "cancelled", link.expires_at
    if link.expires_at <= now:
        return "expired", link.expires_at
    return "open", link.expires_at


def _item(
    uow: UnitOfWork, row: DueItemRow, patient: PatientRecord, today: dt.date
) -> DueItem:
    link = (
        None
        if row.link_id is None
        else uow.session.get(QuestionnaireLinkRow, row.link_id)
    )
    state, expires = _link_state(link, utc_now())
    instrument = Instrument(row.instrument)
    return DueItem(
        id=row.id,
        patient=patient,
        plan_id=row.plan_id,
        instrument=instrument,
        name=INSTRUMENTS[instrument].name,
        milestone=row.milestone,
        due_on=row.due_on,
        overdue=row.due_on < today,
        link=state,
        link_expires_at=expires,
        contactable=bool(patient.email)
        and has_contact_consent(uow, row.clinic_id, row.patient_id),
    )


def list_due(
    store: Store,
    actor: Actor,
    today: dt.date,
    *,
    patient_id: int | None = None,
    overdue_only: bool = False,
) -> list[DueItem]:
    """Unanswered questionnaires due on or before ``today``, oldest first (audited
    as a read of the patients shown)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("see the questionnaires due"))
        if patient_id is not None:
            patient_of(uow, actor, patient_id)
        schedule_and_settle(uow, actor.clinic_id, today)
        rows = DueItems(uow.session).open_items(actor.clinic_id, today, patient_id)
        if overdue_only:
            rows = [r for r in rows if r.due_on < today]
        patients = uow.patients.by_ids(actor.clinic_id, {r.patient_id for r in rows})
        records = {i: patient_record(p) for i, p in patients.items()}
        items = [_item(uow, r, records[r.patient_id], today) for r in rows]
        log_reads(
            uow,
            actor,
            "questionnaire_due",
            [(i.patient.id, i.id) for i in items],
            detail={"view": "due"},
        )
        return items


def send_due_link(
    store: Store,
    actor: Actor,
    item_id: int,
    *,
    secret: str,
    valid_days: int,
    public_url: str,
    remind_after_days: int = 0,
) -> OutboxMessage:
    """A new link for a due item, e-mailed to the patient; an earlier open link of
    the item is cancelled. ``ConflictError`` when answered or not contactable."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("send questionnaire links"))
        items = DueItems(uow.session)
        row = items.get(actor.clinic_id, item_id)
        if row is None:
            raise NotFoundError(N_("questionnaire due"), item_id)
        patient = patient_of(uow, actor, row.patient_id, lock=True)
        if row.response_id is not None:
            raise ConflictError(
                N_("item {id} is already answered", id=row.id), field="id"
            )
        before = row.link_id

        def attach(link: QuestionnaireLink) -> dict[str, Any]:
            if not items.attach_link(row.id, link.id, before):
                raise ConflictError(
                    N_("item {id} was sent meanwhile", id=row.id), field="id"
                )
            if before is not None:
                QuestionnaireLinks(uow.session).cancel(
                    actor.clinic_id, before, utc_now()
                )
            return {"due": row.id}

        message = mail_new_link(
            uow,
            actor,
            patient,
            Instrument(row.instrument),
            secret=secret,
            valid_days=valid_days,
            public_url=public_url,
            remind_after_days=remind_after_days,
            on_link=attach,
        )
        return message_record(message)
