"""The day view per role: planned sessions (overdue, today, the week), re-screens due,
the physician's clearances, the administrator's users."""

from __future__ import annotations

import datetime as dt

from tests.web.clinic import START, Clinic
from tests.web.test_pages_wording import visible_text

from spinewise import services


def test_the_day_lists_todays_overdue_and_this_weeks_sessions(clinic: Clinic) -> None:
    plan = clinic.planned()
    clinic.session(plan, 1)
    dates = [s.date for s in plan.plan.courses[0].sessions]
    actor = clinic.actor("therapist_a")
    day = services.day_view(clinic.store, actor, dates[2])
    assert [v.session_number for v in day.today_sessions] == [3]
    assert [v.session_number for v in day.overdue] == [2]
    week = [v.session_number for v in day.week_sessions]
    assert week and all(v.date > dates[2] for v in day.week_sessions)
    assert all(n > 3 for n in week)
    assert (
        services.day_view(
            clinic.store, clinic.actor("therapist_b"), START
        ).today_sessions
        == []
    )


def test_each_role_sees_its_own_day(clinic: Clinic) -> None:
    result = clinic.assessed(number="P-9")
    services.request_clearance(
        clinic.store, clinic.actor("therapist_a"), result.assessment.patient_id
    )
    physician = visible_text(clinic.as_page("physician_a").get("/today").text)
    assert "Clearances waiting for you (1)" in physician
    assert "Ann Lee: read the assessment" in physician
    therapist = visible_text(clinic.as_page("therapist_a").get("/today").text)
    assert (
        "Sessions planned today" in therapist and "Clearances waiting" not in therapist
    )
    admin = clinic.as_page("admin_a").get("/today")
    assert admin.status_code == 200
    assert "Users of the clinic" in admin.text and "Ann Lee" not in admin.text


def test_the_day_is_read_as_one_audit_event(clinic: Clinic) -> None:
    plan = clinic.planned()
    services.day_view(clinic.store, clinic.actor("therapist_a"), dt.date(2026, 12, 1))
    trail = services.list_audit(
        clinic.store, clinic.actor("admin_a"),
        services.AuditFilter(patient_id=plan.patient_id, action="read"),
    )  # fmt: skip
    assert any((e.detail or {}).get("view") == "day" for e in trail)
