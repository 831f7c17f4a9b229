"""Sending a questionnaire e-mail again: a copy of a message whose link is still
open, queued as a new message (the original keeps its status and history)."""

from __future__ import annotations

from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import Action, log
from spinewise.services.course.link_messages import require_contact
from spinewise.services.course.outbox import OutboxMessage, message_record
from spinewise.services.unit import patient_of, unit
from spinewise.store import Outbox, QuestionnaireLinkRow, Store, utc_now


def resend_message(store: Store, actor: Actor, message_id: int) -> OutboxMessage:
    """Queue the message again to the patient's current address; refused when its
    link is answered, cancelled or expired (send a new link instead) or the patient
    no longer consents to be contacted."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("send messages"))
        outbox = Outbox(uow.session)
        row = outbox.get(actor.clinic_id, message_id)
        if row is None:
            raise NotFoundError(N_("message"), message_id)
        patient = patient_of(uow, actor, row.patient_id, lock=True)
        address = require_contact(uow, patient)
        now = utc_now()
        if row.link_id is not None:
            link = uow.session.get(QuestionnaireLinkRow, row.link_id)
            if (
                link is None
                or link.used_at
                or link.cancelled_at
                or link.expires_at <= now
            ):
                raise ConflictError(
                    N_(
                        "message {id}: its link is answered, cancelled or expired; send a new link instead",
                        id=row.id,
                    ),
                    field="id",
                )
        copy = outbox.queue(
            clinic_id=row.clinic_id,
            patient_id=row.patient_id,
            kind=row.kind,
            dedupe_key=f"resend:{row.id}:{now.isoformat()}",
            to_address=address,
            language=row.language,
            subject=row.subject,
            body=row.body,
            link_id=row.link_id,
            status="pending",
            attempts=0,
            next_attempt_at=now,
            created_by=actor.user_id,
        )
        if copy is None:
            raise ConflictError(
                N_("message {id} is being re-sent already", id=row.id), field="id"
            )
        log(
            uow,
            actor,
            Action.CREATE,
            "outbox",
            copy.id,
            patient_id=row.patient_id,
            detail={"kind": row.kind, "resends": row.id},
        )
        return message_record(copy)
