"""Questionnaires due, on the day view: one click e-mails a due item's link (a new
link; an earlier open one of the item is cancelled), then delivers what is due; and
cancelling one of a patient's open links from the outcomes page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    cancel_link,
    deliver_outbox,
    mail_settings,
    send_due_link,
    smtp_mailer,
)
from spinewise.web.deps import (
    PageActor,
    RecordId,
    SecretDep,
    SettingsDep,
    StoreDep,
    public_base,
)

router = APIRouter()


@router.post("/due/{item_id}/send")
async def send_item(
    request: Request,
    item_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    settings: SettingsDep,
    secret: SecretDep,
) -> Response:
    base = public_base(request, settings)

    def send() -> None:
        send_due_link(
            store,
            actor,
            item_id,
            secret=secret,
            valid_days=settings.questionnaire_link_days,
            public_url=base,
            remind_after_days=settings.reminder_after_days,
        )
        deliver_outbox(
            store, smtp_mailer(mail_settings(settings)), sender=settings.mail_from
        )

    await run_in_threadpool(send)
    return RedirectResponse("/today?sent=1#due", 303)


@router.post("/patients/{patient_id}/questionnaire-links/{link_id}/cancel")
async def cancel_open_link(
    patient_id: RecordId, link_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    """Close one of the patient's open links (it no longer opens)."""
    await run_in_threadpool(cancel_link, store, actor, link_id, patient_id)
    return RedirectResponse(f"/patients/{patient_id}/outcomes#open-links-section", 303)
