"""The day view per role: a therapist's sessions, a physician's clearances, an
administrator's users and undelivered messages; for clinicians the questionnaires
due and overdue (``due_panel.html``, sent with one click by ``pages/due.py``)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinewise.services import (
    awaiting_physician,
    day_view,
    list_due,
    list_users,
    outbox_problems,
)
from spinewise.web.deps import PageActor, StoreDep
from spinewise.web.rendering import render

router = APIRouter()


@router.get("/today")
def today_page(request: Request, store: StoreDep, actor: PageActor) -> Response:
    today = dt.date.today()
    role = actor.role.value
    context: dict[str, object] = {"today": today, "role": role}
    if role == "admin":
        context["users"] = list_users(store, actor)
        context["outbox_problems"] = outbox_problems(store, actor)
    else:
        context["day"] = day_view(store, actor, today)
        context["due"] = list_due(store, actor, today)
        context["due_sent"] = request.query_params.get("sent") == "1"
        context["clearances"] = awaiting_physician(store, actor)
    return render(request, "today.html", context)
