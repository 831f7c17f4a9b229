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
    decisions,
    documents,
    due,
    kb,
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

CLINICIANS = frozenset({"therapist", "physician"})
NAV = (
    NavItem("Today", "/today"),
    NavItem("Patients", "/patients", CLINICIANS),
    NavItem("Clearance queue", "/clearances", CLINICIANS),
    NavItem("Messages", "/outbox", CLINICIANS),
    NavItem("Quick screen", "/screen"),
    NavItem("Knowledge base", "/kb"),
    NavItem("Users", "/users", frozenset({"admin"})),
    NavItem("Questionnaire texts", "/questionnaire-texts", frozenset({"admin"})),
    NavItem("Audit trail", "/audit", frozenset({"admin"})),
)
_ROUTERS = (
    login.router,
    login_code.router,
    account.router,
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
)


def pages_router() -> APIRouter:
    """Every page route, CSRF-checked."""
    router = APIRouter(include_in_schema=False, dependencies=[Depends(verify_csrf)])
    for part in _ROUTERS:
        router.include_router(part)
    return router


__all__ = ["NAV", "pages_router"]
