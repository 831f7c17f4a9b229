"""Messages to patients: the clinic's outbox (status, attempts, last error; cancel),
sending a questionnaire link by e-mail, and the patient's one-click stop page.

Sending queues the message and delivers what is due at once; without a mail server
the page says "not sent: no mail server configured" (the message is in the log).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import NotFoundError
from spinewise.services import (
    cancel_message,
    deliver_outbox,
    email_link,
    list_outbox,
    mail_settings,
    set_patient_contact,
    smtp_mailer,
    unsubscribe,
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


@router.post("/unsubscribe/{token}")
def stop(request: Request, token: str, store: StoreDep, secret: SecretDep) -> Response:
    try:
        done = unsubscribe(store, token, secret)
    except NotFoundError:
        return render(
            request,
            "unsubscribe.html",
            {"token": token, "done": None, "bad": True},
            status_code=404,
        )
    return render(
        request, "unsubscribe.html", {"token": token, "done": done, "bad": False}
    )
