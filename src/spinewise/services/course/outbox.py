"""Messages to patients through an outbox: queued in the same transaction as what
they announce, then delivered by ``deliver_outbox`` through a ``Mailer``.

* A message needs the patient's e-mail and current consent to be contacted.
* Without a mail server (``smtp_mailer`` returns None) a message goes to the server
  log and is marked ``logged``: "not sent: no mail server configured".
* A failed attempt is retried with backoff (1, 2, 4, 8 minutes ...), at most
  ``MAX_ATTEMPTS`` times; a message is claimed with a conditional update before it
  is sent, so two concurrent runs never send it twice.
* Every e-mail carries a link to stop messages (``/unsubscribe/<token>``), which
  withdraws the consent to be contacted.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from email.message import EmailMessage
from typing import Protocol

from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import BaseModel, ConfigDict

from spinewise.config import Settings
from spinewise.errors import N_, ConflictError, NotFoundError
from spinewise.models.outcome import Instrument
from spinewise.services.access.actors import CLINICIANS, Actor, Interface, require
from spinewise.services.audit import Action, log, system_event
from spinewise.services.clinic.consent import has_contact_consent, withdraw_contact
from spinewise.services.course.link_messages import (
    UNSUBSCRIBE_SALT,
    mail_new_link,
)
from spinewise.services.course.mail_text import stop_link
from spinewise.services.course.questionnaires import _instrument as parse_instrument
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    DueItems,
    Outbox,
    OutboxRow,
    QuestionnaireLinkRow,
    QuestionnaireLinks,
    Store,
    UnitOfWork,
    utc_now,
)

LOGGER = logging.getLogger("spinewise.outbox")
MAX_ATTEMPTS = 5
CLAIM_SECONDS = 300
NOT_CONFIGURED = "not sent: no mail server configured"


class Mailer(Protocol):
    def __call__(self, message: EmailMessage) -> None: ...


class MailSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str


def mail_settings(settings: Settings) -> MailSettings | None:
    """The SMTP settings, or None when no mail server is configured."""
    if not settings.smtp_host:
        return None
    return MailSettings(
        host=settings.smtp_host,
        port=settings.smtp_port,
        starttls=settings.smtp_starttls,
        user=settings.smtp_user,
        password=settings.smtp_password,
        sender=settings.mail_from,
    )


def smtp_mailer(mail: MailSettings | None) -> Mailer | None:
    """A mailer on the configured SMTP server (None: none configured)."""
    if mail is None:
        return None

    def send(message: EmailMessage) -> None:
        with smtplib.SMTP(mail.host, mail.port, timeout=30) as smtp:
            if mail.starttls:
                smtp.starttls()
            if mail.user:
                smtp.login(mail.user, mail.password or "")
            smtp.send_message(message)

    return send


class OutboxMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    patient_id: int
    kind: str
    to_address: str | None
    language: str
    subject: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None
    created_at: dt.datetime


def message_record(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage.model_validate(row, from_attributes=True)


def email_link(
    store: Store,
    actor: Actor,
    patient_id: int,
    instrument: Instrument | str,
    *,
    secret: str,
    valid_days: int,
    public_url: str,
    remind_after_days: int = 0,
) -> OutboxMessage:
    """Make a link and queue the e-mail that carries it (and its reminder, when
    ``remind_after_days`` > 0), in one transaction."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("send questionnaire links"))
        patient = patient_of(uow, actor, patient_id, lock=True)
        row = mail_new_link(
            uow,
            actor,
            patient,
            parse_instrument(instrument),
            secret=secret,
            valid_days=valid_days,
            public_url=public_url,
            remind_after_days=remind_after_days,
        )
        return message_record(row)


def list_outbox(store: Store, actor: Actor) -> list[OutboxMessage]:
    """The clinic's messages, newest first (audited as a read of the list)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read the outbox"))
        rows = Outbox(uow.session).of_clinic(actor.clinic_id)
        log(uow, actor, Action.READ, "outbox", None, detail={"count": len(rows)})
        return [message_record(r) for r in rows]


def cancel_message(store: Store, actor: Actor, message_id: int) -> OutboxMessage:
    """Cancel an unsent message and the link it carries."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("cancel messages"))
        outbox = Outbox(uow.session)
        row = outbox.get(actor.clinic_id, message_id)
        if row is None:
            raise NotFoundError(N_("message"), message_id)
        if row.status in ("sent", "cancelled"):
            raise ConflictError(
                N_("message {id} is already {status}", id=row.id, status=row.status),
                field="id",
            )
        outbox.set(row.id, status="cancelled")
        if row.link_id is not None:
            QuestionnaireLinks(uow.session).cancel(
                actor.clinic_id, row.link_id, utc_now()
            )
        log(
            uow,
            actor,
            Action.CHANGE,
            "outbox",
            row.id,
            patient_id=row.patient_id,
            detail={"status": "cancelled"},
        )
        uow.session.refresh(row)
        return message_record(row)


def _mime(row: OutboxRow, sender: str, stop: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address or ""
    message["Subject"] = row.subject
    if stop:  # RFC 8058: the mail client's one-click stop is a POST to this address
        message["List-Unsubscribe"] = f"<{stop}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(row.body)
    message["Content-Language"] = row.language  # after set_content, which resets it
    return message


def deliver_outbox(
    store: Store,
    mailer: Mailer | None,
    *,
    sender: str,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """Send every due message once; counts by outcome (sent, logged, retry, failed,
    cancelled: the patient no longer consents, or the link is answered or closed)."""
    at = now or utc_now()
    with store.unit_of_work(write=True) as uow:
        ids = Outbox(uow.session).due_ids(at)
    counts = {"sent": 0, "logged": 0, "retry": 0, "failed": 0, "cancelled": 0}
    for message_id in ids:
        outcome = _deliver_one(store, mailer, sender, message_id, at)
        if outcome:
            counts[outcome] += 1
    return counts


def _deliver_one(
    store: Store, mailer: Mailer | None, sender: str, message_id: int, at: dt.datetime
) -> str | None:
    with store.unit_of_work(write=True) as uow:
        outbox = Outbox(uow.session)
        if not outbox.claim(message_id, at, at + dt.timedelta(seconds=CLAIM_SECONDS)):
            return None
        row = uow.session.get(OutboxRow, message_id)
        assert row is not None
        detail: dict[str, object] = {"to_language": row.language}
        blocked = _blocked(uow, row, at)
        if blocked is not None:
            outbox.set(row.id, status="cancelled", last_error=blocked)
            outcome = "cancelled"
        elif mailer is None:
            outcome = _log_only(outbox, row)
        else:
            outcome = _attempt(outbox, row, mailer, sender, at)
        if row.kind == "reminder" and row.link_id and outcome in ("sent", "logged"):
            DueItems(uow.session).reminded(row.link_id, at)
        detail["outcome"] = outcome
        event = system_event(
            Interface.CLI,
            Action.EXPORT,
            "outbox",
            row.id,
            clinic_id=row.clinic_id,
            detail=detail,
        )
        event["patient_id"] = row.patient_id
        uow.audit.append([event])
        return outcome


def _blocked(uow: UnitOfWork, row: OutboxRow, at: dt.datetime) -> str | None:
    """Why a queued message may no longer go (None: it may)."""
    if not has_contact_consent(uow, row.clinic_id, row.patient_id):
        return "not sent: the patient no longer consents to be contacted"
    if row.link_id is None:
        return None
    link = uow.session.get(QuestionnaireLinkRow, row.link_id)
    if link is None or link.used_at is not None:
        return "not sent: the questionnaire was already answered"
    if link.cancelled_at is not None:
        return "not sent: the link was cancelled"
    if link.expires_at <= at:
        return "not sent: the link has expired"
    return None


def _log_only(outbox: Outbox, row: OutboxRow) -> str:
    LOGGER.warning(
        "%s: message %s to patient %s: %s\n%s",
        NOT_CONFIGURED,
        row.id,
        row.patient_id,
        row.subject,
        row.body,
    )
    outbox.set(
        row.id,
        status="logged",
        last_error=NOT_CONFIGURED,
        attempts=row.attempts + 1,
    )
    return "logged"


def _attempt(
    outbox: Outbox, row: OutboxRow, mailer: Mailer, sender: str, at: dt.datetime
) -> str:
    try:
        mailer(_mime(row, sender, stop_link(row.body)))
    except (OSError, smtplib.SMTPException) as error:
        attempts = row.attempts + 1
        failed = attempts >= MAX_ATTEMPTS
        outbox.set(
            row.id,
            attempts=attempts,
            last_error=str(error)[:500] or type(error).__name__,
            status="failed" if failed else "pending",
            next_attempt_at=None
            if failed
            else at + dt.timedelta(minutes=2 ** (attempts - 1)),
            claimed_until=None,
        )
        return "failed" if failed else "retry"
    outbox.set(
        row.id, status="sent", sent_at=at, attempts=row.attempts + 1, last_error=None
    )
    return "sent"


def unsubscribe(store: Store, token: str, secret: str) -> bool:
    """The patient's one-click stop: withdraws the consent to be contacted."""
    try:
        clinic_id, patient_id = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT).loads(
            token
        )
    except (BadSignature, ValueError, TypeError):
        raise NotFoundError(N_("unsubscribe link"), "(token)") from None
    with store.unit_of_work(write=True) as uow:
        done = withdraw_contact(
            uow, int(clinic_id), int(patient_id), "unsubscribed by e-mail link"
        )
        event = system_event(
            Interface.WEB,
            Action.CHANGE,
            "consent",
            None,
            clinic_id=int(clinic_id),
            detail={"unsubscribed": done},
        )
        event["role"] = "patient"
        event["patient_id"] = int(patient_id)
        uow.audit.append([event])
        return done
