"""Every clinic page: sign-in required, another clinic's records not found, roles
refused by the services (the pages only hide what a role cannot do)."""

from __future__ import annotations

import re

import pytest
from tests.web.clinic import Clinic, csrf_of
from tests.web.conftest import routes

from spinewise.services import patient_status

# The FHIR conformance resources are public (no patient data; tests/web/test_fhir.py).
PUBLIC = {"/login", "/login/code", "/logout", "/", "/q/{token}", "/unsubscribe/{token}"}
PUBLIC |= {"/fhir/metadata", "/fhir/{resource_type}/{resource_id}"}
PARAM = re.compile(r"\{([a-z_]+)\}")


def page_routes(clinic: Clinic) -> list[tuple[str, set[str]]]:
    return [
        (p, m)
        for p, m in routes(clinic.app)
        if not p.startswith(("/api/", "/static", "/cds-services")) and p not in PUBLIC
    ]


def concrete(path: str, ids: dict[str, str]) -> str:
    return PARAM.sub(lambda m: ids.get(m.group(1), "1"), path)


@pytest.fixture
def theirs(clinic: Clinic) -> dict[str, str]:
    """Records of clinic B: a patient with a decision, a plan and a note."""
    plan = clinic.planned("b", "B-1")
    note = clinic.session(plan, suffix="b").note
    status = patient_status(clinic.store, clinic.actor("therapist_b"), plan.patient_id)
    return {
        "patient_id": str(plan.patient_id),
        "plan_id": str(plan.id),
        "decision_id": str(status.decision_id),
        "assessment_id": str(status.assessment_id),
        "note_id": str(note.id),
        "instrument": "nrs",
    }


def test_every_clinic_page_asks_to_sign_in(clinic: Clinic) -> None:
    client = clinic.anonymous()
    checked = 0
    for path, methods in page_routes(clinic):
        if "GET" in methods:
            response = client.get(concrete(path, {}), follow_redirects=False)
            assert response.status_code == 303, path
            assert response.headers["location"].startswith("/login?next=/")
            checked += 1
    assert checked >= 15


def test_another_clinics_records_are_not_found_on_any_page(
    clinic: Clinic, theirs: dict[str, str]
) -> None:
    page = clinic.as_page("therapist_a")
    token = csrf_of(page.get("/patients").text)
    walked = 0
    for path, methods in page_routes(clinic):
        if "{patient_id}" not in path:
            continue
        url = concrete(path, theirs)
        for method in methods:
            data = (
                {"csrf_token": token, "instrument": "nrs"} if method == "POST" else None
            )
            response = page.request(method, url, data=data)
            assert response.status_code == 404, (method, path, response.status_code)
            walked += 1
    assert walked >= 15


def test_an_admin_is_refused_every_patient_page(clinic: Clinic) -> None:
    patient_id = clinic.planned().patient_id
    page = clinic.as_page("admin_a")
    for path, methods in page_routes(clinic):
        if "GET" in methods and (
            "{patient_id}" in path or path in ("/patients", "/clearances")
        ):
            if (
                "{plan_id}" in path
                or "{decision_id}" in path
                or "{assessment_id}" in path
            ):
                continue
            url = concrete(path, {"patient_id": str(patient_id), "instrument": "nrs"})
            assert page.get(url).status_code == 403, path


def test_clinicians_are_refused_the_audit_trail(clinic: Clinic) -> None:
    for name in ("therapist_a", "physician_a"):
        page = clinic.as_page(name)
        assert page.get("/audit").status_code == 403
        assert 'href="/audit"' not in page.get("/patients").text
