"""Server-rendered pages; every unsafe request to them must carry the CSRF token."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from spinewise.web.pages import (
    account,
    assessment_view,
    assessments,
    audit,
    clearances,
    consent,
    course_end,
    decisions,
    documents,
    due,
    kb,
    language,
    login,
    login_code,
    outbox,
    outcomes,
    patient_edit,
    patients,
    plans,
    questionnaire,
    retention,
    schedule,
    screen,
    sessions,
    text_packs,
    today,
    users,
)
from spinewise.web.rendering import NavItem
from spinewise.web.security import verify_csrf
from spinewise.web.words import N_

CLINICIANS = frozenset({"therapist", "physician"})
NAV = (
    NavItem(N_("Today"), "/today"),
    NavItem(N_("Patients"), "/patients", CLINICIANS),
    NavItem(N_("Clearance queue"), "/clearances", CLINICIANS),
    NavItem(N_("Messages"), "/outbox", CLINICIANS),
    NavItem(N_("Quick screen"), "/screen"),
    NavItem(N_("Knowledge base"), "/kb"),
    NavItem(N_("Users"), "/users", frozenset({"admin"})),
    NavItem(N_("Questionnaire texts"), "/questionnaire-texts", frozenset({"admin"})),
    NavItem(N_("Audit trail"), "/audit", frozenset({"admin"})),
)
_ROUTERS = (
    login.router,
    login_code.router,
    account.router,
    language.router,
    users.router,
    screen.router,
    kb.router,
    patients.router,
    patient_edit.router,
    assessments.router,
    assessment_view.router,
    decisions.router,
    clearances.router,
    plans.router,
    documents.router,
    sessions.router,
    outcomes.router,
    consent.router,
    outbox.router,
    questionnaire.router,
    text_packs.router,
    audit.router,
    today.router,
    due.router,
    account.router,
    schedule.router,
    retention.router,
    course_end.router,
)


def pages_router() -> APIRouter:
    """Every page route, CSRF-checked."""
    router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
    for part in _ROUTERS:
        router.include_router(part)
    return router


__all__ = ["NAV", "pages_router"]
