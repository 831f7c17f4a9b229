"""Quick screen: the intake form and its decision, stateless (nothing is stored).

The form and the decision are template macros (``intake.html``, ``decision.html``)
that the stored-patient pages reuse with their own action and form address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinewise.errors import InputError
from spinewise.models import Assessment, parse_model
from spinewise.screening import screen
from spinewise.web.deps import KbDep, PageUser
from spinewise.web.draft import Draft, PlacedProblems, place_problems
from spinewise.web.intake import intake_questions, intake_sections, level_groups
from spinewise.web.presentation import DecisionView, view_decision
from spinewise.web.rendering import page_kb, render

router = APIRouter()


def intake_context(
    draft: Draft,
    placed: PlacedProblems | None = None,
    view: DecisionView | None = None,
) -> dict[str, Any]:
    """What ``intake.html`` and ``decision.html`` need (reused by stored patients)."""
    return {
        "draft": draft,
        "placed": placed,
        "view": view,
        "sections": intake_sections(),
        "questions": intake_questions(),
        "level_groups": level_groups(),
    }


@router.get("/screen")
def screen_form(request: Request, _user: PageUser) -> Response:
    return render(request, "screen.html", intake_context(Draft.blank(dt.date.today())))


@router.post("/screen")
async def screen_submit(request: Request, kb: KbDep, _user: PageUser) -> Response:
    """Screen the submitted answers; on invalid input, the same form with its errors."""
    form = await request.form()
    draft = Draft.from_pairs(
        (name, value) for name, value in form.multi_items() if isinstance(value, str)
    )
    try:
        assessment = parse_model(Assessment, draft.to_contract())
    except InputError as exc:
        placed = place_problems(exc.problems)
        return render(
            request, "screen.html", intake_context(draft, placed), status_code=422
        )
    view = view_decision(screen(assessment, kb), *page_kb(request))
    return render(request, "screen.html", intake_context(draft, view=view))
