"""Questionnaire forms: items and answers, shared by the staff entry and the patient's
link (``/q/{token}``), which a patient opens on a phone without an account.

The link names one patient and one questionnaire, is signed, expires and answers
once (``services.open_questionnaire_link`` / ``answer_questionnaire_link``). An
unknown, tampered or foreign token is "not found"; a used, cancelled or expired one is
closed (410), saying so in plain words. The patient reads the text pack the link was
issued with (the clinic's licensed texts, or the built-in NRS wording); the staff's
paper-entry form numbers the items of a licensed instrument instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from spinewise.errors import (
    ConflictError,
    FieldProblem,
    InputError,
    Message,
    NotFoundError,
)
from spinewise.models import parse_int
from spinewise.models.outcome import Instrument
from spinewise.outcomes import INSTRUMENTS, NRS_TEXT_PACK, placeholder_item_texts
from spinewise.outcomes.texts import BUILT_IN
from spinewise.services import (
    LinkItem,
    answer_questionnaire_link,
    open_questionnaire_link,
)
from spinewise.web.deps import SecretDep, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render, speak_to
from spinewise.web.words import N_

router = APIRouter()

SKIP = ""


@dataclass(frozen=True)
class Item:
    name: str
    number: int
    text: str
    options: tuple[tuple[str, str], ...]


def _staff_texts(instrument: Instrument, language: str = "en") -> tuple[LinkItem, ...]:
    """The staff's paper-entry form: the NRS wording (in ``language``, the one the
    patient is asked in, when Spinewise ships it), or numbered items whose options
    are their scores (the paper form in hand has the licensed text)."""
    if instrument is Instrument.NRS:
        pack = BUILT_IN.get((instrument, language), NRS_TEXT_PACK)
        return tuple(LinkItem(text=i.text, options=i.options) for i in pack.items)
    tops = INSTRUMENTS[instrument].item_maxima
    return tuple(
        LinkItem(
            text=text,
            options=(N_("No"), N_("Yes"))
            if top == 1
            else tuple(str(v) for v in range(top + 1)),
        )
        for text, top in zip(placeholder_item_texts(instrument), tops, strict=True)
    )


QUESTION = N_("Question")


def items_of(
    instrument: Instrument,
    texts: tuple[LinkItem, ...] | None = None,
    language: str = "en",
) -> list[Item]:
    """The questionnaire's items: field name, text and answer options (skip last);
    ``texts`` are the patient's (from the link), else the staff's form (in the
    patient's ``language``)."""
    chosen = texts or _staff_texts(instrument, language)
    items = []
    for index, entry in enumerate(chosen):
        options = tuple((str(v), label) for v, label in enumerate(entry.options))
        name = f"answers[{index}]"
        items.append(Item(name, index + 1, entry.text, (*options, (SKIP, N_("Skip")))))
    return items


def item_labels(instrument: Instrument) -> dict[str, str]:
    labels = {i.name: f"{QUESTION} {i.number}" for i in items_of(instrument)}
    return {**labels, "answers": N_("Answers"), "answered_on": N_("Date answered")}


def answers_of(values: FormValues, instrument: Instrument) -> list[int | None]:
    """The chosen answers in item order (None: skipped); too few to score is an
    ``InputError``, so that a link is not used up by an answer that cannot count."""
    answers: list[int | None] = []
    top = INSTRUMENTS[instrument].item_maxima
    for item, highest in zip(items_of(instrument), top, strict=True):
        chosen = values.value(item.name)
        answers.append(
            parse_int(chosen, item.name, low=0, high=highest) if chosen else None
        )
    needed = INSTRUMENTS[instrument].min_answered
    if sum(a is not None for a in answers) < needed:
        total = len(answers)
        message = (
            N_("answer the question to give a score")
            if total == 1
            else Message(
                N_("answer at least {needed} of the {total} questions to give a score"),
                {"needed": needed, "total": total},
            )
        )
        raise InputError([FieldProblem("answers", message)])
    return answers


def _closed(request: Request, error: NotFoundError | ConflictError) -> Response:
    unknown = isinstance(error, NotFoundError)
    return render(
        request,
        "questionnaire_closed.html",
        {
            "unknown": unknown,
            "message": N_("This link is not valid.") if unknown else f"{error}.",
        },
        status_code=404 if unknown else 410,
    )


def _form(
    request: Request,
    token: str,
    view: Any,
    values: FormValues | None = None,
    errors: FormErrors | None = None,
) -> Response:
    instrument = view.instrument
    speak_to(request, view.language)  # the patient's language, not the browser's
    return render(
        request,
        "questionnaire.html",
        {
            "action": f"/q/{token}",
            "name": view.title or INSTRUMENTS[instrument].name,
            "language": view.language,
            "items": items_of(instrument, view.items),
            "expires_at": view.expires_at,
            "values": values or FormValues(),
            "errors": errors or FormErrors(labels=item_labels(instrument)),
        },
        status_code=422 if errors else 200,
    )


@router.get("/q/{token}")
def open_link(
    request: Request, token: str, store: StoreDep, secret: SecretDep
) -> Response:
    try:
        view = open_questionnaire_link(store, token, secret=secret)
    except (NotFoundError, ConflictError) as error:
        return _closed(request, error)
    return _form(request, token, view)


@router.post("/q/{token}")
async def answer_link(
    request: Request, token: str, store: StoreDep, secret: SecretDep
) -> Response:
    form = await request.form()
    values = FormValues()
    try:
        view = await run_in_threadpool(
            lambda: open_questionnaire_link(store, token, secret=secret)
        )
        values = FormValues.of(form, item_labels(view.instrument))
        answers = answers_of(values, view.instrument)
        await run_in_threadpool(
            lambda: answer_questionnaire_link(store, token, answers, secret=secret)
        )
    except (NotFoundError, ConflictError) as error:
        return _closed(request, error)
    except InputError as error:
        errors = form_errors(error, item_labels(view.instrument))
        return _form(request, token, view, values, errors)
    speak_to(request, view.language)
    return render(request, "questionnaire_done.html", {})
