"""Queueing the e-mails that carry a questionnaire link: the link itself and, when
reminders are on, its one reminder, queued at once for ``remind_after_days`` later.

Both go through the outbox in the caller's transaction, with unique dedupe keys
(``link:<id>`` and ``reminder:<id>``), so a link is announced once and reminded at
most once however many runs race. When the reminder falls due, delivery checks that
the link is still open and the patient still consents; otherwise it is cancelled.

``mail_new_link`` is the one sequence behind "e-mail a link" and "send a due item's
link": a new link (audited), its e-mails queued, the outbox message audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from itsdangerous import URLSafeSerializer

from spinewise.errors import N_, ConflictError
from spinewise.models.outcome import Instrument
from spinewise.services.access.actors import Actor
from spinewise.services.audit import Action, log
from spinewise.services.clinic.consent import has_contact_consent
from spinewise.services.course.course_records import QuestionnaireLink
from spinewise.services.course.links import questionnaire_url
from spinewise.services.course.mail_text import link_mail, patient_language
from spinewise.services.course.questionnaires import issue_link
from spinewise.store import Outbox, OutboxRow, PatientRow, UnitOfWork, utc_now

UNSUBSCRIBE_SALT = "spinewise.unsubscribe"


def unsubscribe_token(secret: str, clinic_id: int, patient_id: int) -> str:
    return URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).dumps(
        [clinic_id, patient_id]
    )


def require_contact(uow: UnitOfWork, patient: PatientRow) -> str:
    """The patient's address, if they may be e-mailed (``ConflictError`` if not)."""
    if not has_contact_consent(uow, patient.clinic_id, patient.id):
        raise ConflictError(
            N_(
                "the patient has not consented to be contacted: record it on the consent page first"
            ),
            field="contact",
        )
    if not patient.email:
        raise ConflictError(N_("the patient has no e-mail address"), field="email")
    return patient.email


def queue_link_mail(
    uow: UnitOfWork,
    patient: PatientRow,
    link: QuestionnaireLink,
    *,
    secret: str,
    public_url: str,
    remind_after_days: int = 0,
    created_by: int | None = None,
    now: dt.datetime | None = None,
) -> OutboxRow:
    """Queue the link's e-mail (and its reminder); the link's message row."""
    address = require_contact(uow, patient)
    stop = f"{public_url.rstrip('/')}/unsubscribe/" + unsubscribe_token(
        secret, patient.clinic_id, patient.id
    )
    url = questionnaire_url(public_url, link.token)
    language = patient_language(link.language)
    now = now or utc_now()
    outbox = Outbox(uow.session)
    kinds = [("link", now)]
    if remind_after_days > 0:
        remind_on = now + dt.timedelta(days=remind_after_days)
        if remind_on < link.expires_at:
            kinds.append(("reminder", remind_on))
    rows = []
    for kind, due in kinds:
        text = link_mail(
            language,
            link.title,
            url,
            stop,
            link.expires_at,
            reminder=kind == "reminder",
        )
        row = outbox.queue(
            clinic_id=patient.clinic_id,
            patient_id=patient.id,
            kind=kind,
            dedupe_key=f"{kind}:{link.id}",
            to_address=address,
            language=language,
            subject=text.subject,
            body=text.body,
            link_id=link.id,
            status="pending",
            attempts=0,
            next_attempt_at=due,
            created_by=created_by,
        )
        assert row is not None  # a new link has no message yet
        rows.append(row)
    return rows[0]


def mail_new_link(
    uow: UnitOfWork,
    actor: Actor,
    patient: PatientRow,
    instrument: Instrument,
    *,
    secret: str,
    valid_days: int,
    public_url: str,
    remind_after_days: int = 0,
    on_link: Callable[[QuestionnaireLink], dict[str, Any]] | None = None,
) -> OutboxRow:
    """A new link for the patient, e-mailed (with its reminder), in the caller's
    unit of work; the link and the message are audited. ``on_link`` runs before the
    mail is queued and returns what the message's audit detail adds."""
    require_contact(uow, patient)
    link = issue_link(uow, actor, patient.id, instrument, secret, valid_days)
    detail: dict[str, Any] = {"kind": "link", "link": link.id}
    if on_link is not None:
        detail.update(on_link(link))
    message = queue_link_mail(
        uow,
        patient,
        link,
        secret=secret,
        public_url=public_url,
        remind_after_days=remind_after_days,
        created_by=actor.user_id,
    )
    log(
        uow,
        actor,
        Action.CREATE,
        "outbox",
        message.id,
        patient_id=patient.id,
        detail=detail,
    )
    return message
