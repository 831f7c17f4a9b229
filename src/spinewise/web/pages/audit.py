"""The audit trail for the clinic's administrators, with filters (reading it is audited).

The filters are a GET form, so a filtered view is a link that can be shared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinewise.errors import InputError
from spinewise.models import parse_date, parse_model
from spinewise.services import Action, AuditFilter, Interface, list_audit
from spinewise.web.deps import PageActor, StoreDep
from spinewise.web.pages.forms import FormErrors, FormValues, form_errors
from spinewise.web.rendering import render
from spinewise.web.words import N_

router = APIRouter()
LAST_DAY = dt.date(9999, 12, 30)  # the day after must still be a date

FILTERS = {
    "username": N_("User"),
    "patient_id": N_("Patient id"),
    "action": N_("Action"),
    "entity": N_("Record kind"),
    "interface": N_("Interface"),
    "since": N_("From (day)"),
    "until": N_("To (day, inclusive)"),
    "limit": N_("Events shown"),
}


def _day(values: FormValues, name: str, *, end: bool) -> dt.datetime | None:
    text = values.value(name)
    if not text:
        return None
    day = parse_date(text, name, latest=LAST_DAY)
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    return start + dt.timedelta(days=1) if end else start


def audit_filter(values: FormValues) -> AuditFilter:
    """The form's filters (InputError naming the field when one is not understood)."""
    data: dict[str, Any] = {
        name: values.value(name)
        for name in ("username", "patient_id", "action", "entity", "interface", "limit")
        if values.value(name)
    }
    data["since"] = _day(values, "since", end=False)
    data["until"] = _day(values, "until", end=True)
    return parse_model(AuditFilter, data)


@router.get("/audit")
def audit_page(request: Request, store: StoreDep, actor: PageActor) -> Response:
    values = FormValues.of(request.query_params, FILTERS)
    errors = FormErrors(labels=FILTERS)
    try:
        entries = list_audit(store, actor, audit_filter(values))
    except InputError as error:
        errors = form_errors(error, FILTERS)
        entries = []
    return render(
        request,
        "audit.html",
        {
            "entries": entries,
            "values": values,
            "errors": errors,
            "actions": [(a.value, a.value.replace("_", " ")) for a in Action],
            "interfaces": [(i.value, i.value.upper()) for i in Interface],
        },
        status_code=422 if errors else 200,
    )
