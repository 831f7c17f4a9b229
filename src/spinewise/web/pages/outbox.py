"""Messages to patients: the clinic's outbox (status, attempts, last error; cancel,
re-send), sending a questionnaire link by e-mail, and the patient's stop page (its
POST, with no session or CSRF token, is ``web/one_click.py``).

Sending queues the message and delivers what is due at once; without a mail server
the page says "not sent: no mail server configured" (the message is in the log).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.services import (
    cancel_message,
    deliver_outbox,
    email_link,
    list_outbox,
    mail_settings,
    resend_message,
    set_patient_contact,
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
from spinewise.web.pages.forms import FormValues
from spinewise.web.rendering import render

router = APIRouter()


@router.get("/outbox")
def outbox_page(
    request: Request, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    return render(
        request,
        "outbox.html",
        {
            "messages": list_outbox(store, actor),
            "configured": mail_settings(settings) is not None,
        },
    )


@router.post("/outbox/{message_id}/cancel")
def cancel(message_id: RecordId, store: StoreDep, actor: PageActor) -> Response:
    cancel_message(store, actor, message_id)
    return RedirectResponse("/outbox", 303)


@router.post("/outbox/{message_id}/resend")
async def resend(
    message_id: RecordId, store: StoreDep, actor: PageActor, settings: SettingsDep
) -> Response:
    """Queue the message again, then deliver what is due."""

    def send() -> None:
        resend_message(store, actor, message_id)
        mailer = smtp_mailer(mail_settings(settings))
        deliver_outbox(store, mailer, sender=settings.mail_from)

    await run_in_threadpool(send)
    return RedirectResponse("/outbox", 303)


@router.post("/patients/{patient_id}/questionnaire-emails")
async def send_email(
    request: Request,
    patient_id: RecordId,
    store: StoreDep,
    actor: PageActor,
    settings: SettingsDep,
    secret: SecretDep,
) -> Response:
    """Queue the e-mail with a new link, then deliver what is due."""
    values = FormValues.of(await request.form(), ("instrument",))
    base = public_base(request, settings)

    def send() -> None:
        email_link(
            store,
            actor,
            patient_id,
            values.value("instrument"),
            secret=secret,
            valid_days=settings.questionnaire_link_days,
            public_url=base,
            remind_after_days=settings.reminder_after_days,
        )
        mailer = smtp_mailer(mail_settings(settings))
        deliver_outbox(store, mailer, sender=settings.mail_from)

    await run_in_threadpool(send)
    return RedirectResponse("/outbox", 303)


@router.post("/patients/{patient_id}/contact")
async def contact(
    request: Request, patient_id: RecordId, store: StoreDep, actor: PageActor
) -> Response:
    values = FormValues.of(await request.form(), ("email", "language"))
    await run_in_threadpool(
        lambda: set_patient_contact(
            store,
            actor,
            patient_id,
            email=values.value("email"),
            language=values.value("language") or "en",
        )
    )
    return RedirectResponse(f"/patients/{patient_id}/consent", 303)


@router.get("/unsubscribe/{token}")
def stop_page(request: Request, token: str) -> Response:
    return render(
        request, "unsubscribe.html", {"token": token, "done": None, "bad": False}
    )
