"""The words of the e-mails to patients, in the patient's language (gettext).

A patient-facing text: it is written in the language recorded for the patient (an
unsupported one falls back to English), never in the clinician's.
"""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict

from spinewise.i18n import (
    DEFAULT_LANGUAGE,
    SUPPORTED_LANGUAGES,
    Translator,
    format_date,
)

STOP_MARKER = "\n-- \n"
STOP_ADDRESS = re.compile(r"\S+/unsubscribe/[A-Za-z0-9_.\-]+")


class MailText(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    body: str


def patient_language(language: str) -> str:
    """The language an e-mail to the patient is written in."""
    return language if language in SUPPORTED_LANGUAGES else DEFAULT_LANGUAGE


def link_mail(
    language: str,
    title: str,
    url: str,
    stop: str,
    expires: dt.datetime,
    *,
    reminder: bool = False,
) -> MailText:
    """A questionnaire link (or the reminder of one) for the patient to open; the
    day it expires as the patient's language writes it (the day in UTC)."""
    tr = Translator(patient_language(language))
    until = format_date(expires.date(), tr.language, "medium")
    if reminder:
        subject = tr.gettext("Reminder: your questionnaire: {title}")
        opening = tr.gettext(
            "You have not answered the questionnaire your therapist sent you yet: "
            "{title}."
        )
    else:
        subject = tr.gettext("Your questionnaire: {title}")
        opening = tr.gettext(
            "Your therapist asks you to answer a short questionnaire: {title}."
        )
    how = tr.gettext(
        "Open this link on your phone or computer (no account needed; it works "
        "once, until {day}):"
    )
    stopping = tr.gettext("To stop receiving these messages: {url}")
    body = "\n\n".join(
        [
            tr.gettext("Hello,"),
            opening.format(title=title),
            how.format(day=until),
            url,
        ]
    )
    return MailText(
        subject=subject.format(title=title),
        body=f"{body}\n{STOP_MARKER}{stopping.format(url=stop)}\n",
    )


def stop_link(body: str) -> str | None:
    """The one-click stop address a message's body ends with (also in the bodies
    queued before this wording, which named it on their last line)."""
    found = STOP_ADDRESS.findall(body)
    return found[-1] if found else None
