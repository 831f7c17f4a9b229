"""``run_reminders``: the job behind ``spinewise reminders run`` and the server's
periodic run. It has no signed-in user (a system job over every clinic, audited as
such) and may run often and concurrently:

1. schedules plans without due items and marks the items responses answer;
2. for each item due today or earlier with no link yet, and a patient who consents
   to be contacted and has an e-mail address, issues a link and queues its e-mail
   (and reminder) in one transaction; the link is attached to the item with a
   conditional update, so of two runs only one wins and the other rolls back;
3. delivers the outbox (link e-mails, reminders now due), where claims keep any
   message from going twice and the consent and the link are checked once more.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from spinewise.errors import ConflictError
from spinewise.models.outcome import Instrument
from spinewise.services.access.actors import Interface
from spinewise.services.audit import Action, system_event
from spinewise.services.clinic.consent import has_contact_consent
from spinewise.services.course.due import schedule_and_settle
from spinewise.services.course.link_messages import queue_link_mail
from spinewise.services.course.outbox import Mailer, deliver_outbox
from spinewise.services.course.questionnaires import link_detail, new_link
from spinewise.store import (
    CoursePlanRow,
    DueItemRow,
    DueItems,
    Store,
    UnitOfWork,
    utc_now,
)
from spinewise.store.due import SCHEDULED_STATUSES

LOGGER = logging.getLogger("spinewise.reminders")


@dataclass(frozen=True)
class ReminderSettings:
    """What a run needs besides the store and the mailer."""

    secret: str
    public_url: str
    sender: str
    valid_days: int
    remind_after_days: int
    interface: Interface = Interface.CLI


class _Lost(Exception):
    """Another run attached a link to the item first (rolls this one back)."""


def _event(
    how: ReminderSettings,
    entity: str,
    key: object,
    row: DueItemRow,
    detail: dict[str, object],
) -> dict[str, object]:
    found = system_event(
        how.interface,
        Action.CREATE,
        entity,
        key,
        clinic_id=row.clinic_id,
        detail=detail,
    )
    found["patient_id"] = row.patient_id
    return found


def _issue(
    uow: UnitOfWork, how: ReminderSettings, item_id: int, at: dt.datetime
) -> str:
    items = DueItems(uow.session)
    row = uow.session.get(DueItemRow, item_id)
    if row is None or row.link_id is not None or row.response_id is not None:
        return "skipped"
    plan = uow.session.get(CoursePlanRow, row.plan_id)
    patient = uow.patients.get(row.clinic_id, row.patient_id, lock=True)
    if plan is None or plan.status not in SCHEDULED_STATUSES or patient is None:
        return "skipped"
    if not patient.email or not has_contact_consent(uow, row.clinic_id, patient.id):
        return "no_contact"
    link = new_link(
        uow, patient, Instrument(row.instrument), how.secret, how.valid_days, at
    )
    if not items.attach_link(row.id, link.id, None):
        raise _Lost
    message = queue_link_mail(
        uow,
        patient,
        link,
        secret=how.secret,
        public_url=how.public_url,
        remind_after_days=how.remind_after_days,
        now=at,
    )
    uow.audit.append(
        [
            _event(how, "questionnaire_link", link.id, row, link_detail(link)),
            _event(how, "outbox", message.id, row, {"kind": "link", "due": row.id}),
        ]
    )
    return "linked"


def _issue_one(
    store: Store, how: ReminderSettings, item_id: int, at: dt.datetime
) -> str:
    try:
        with store.unit_of_work(write=True) as uow:
            return _issue(uow, how, item_id, at)
    except _Lost:
        return "skipped"
    except ConflictError as error:  # no texts in the patient's language
        LOGGER.warning("questionnaire due %s: no link: %s", item_id, error)
        return "no_texts"


def _due_ids(store: Store, today: dt.date) -> tuple[int, list[int]]:
    with store.unit_of_work(write=True) as uow:
        added = schedule_and_settle(uow, None, today)
        rows = DueItems(uow.session).open_items(None, today)
        return added, [r.id for r in rows if r.link_id is None]


def run_reminders(
    store: Store,
    mailer: Mailer | None,
    how: ReminderSettings,
    *,
    now: dt.datetime | None = None,
) -> dict[str, int]:
    """One run; counts of what it did (scheduled, linked, no_contact, no_texts,
    skipped, and the outbox's sent, logged, retry, failed, cancelled)."""
    at = now or utc_now()
    added, ids = _due_ids(store, at.date())
    counts = {"scheduled": added, "linked": 0, "no_contact": 0, "no_texts": 0}
    counts["skipped"] = 0
    for item_id in ids:
        counts[_issue_one(store, how, item_id, at)] += 1
    counts.update(deliver_outbox(store, mailer, sender=how.sender, now=at))
    return counts
