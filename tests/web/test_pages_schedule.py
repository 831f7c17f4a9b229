"""The schedule page and moving a session: a move is saved and shown on the day; a
move into the past or inside the minimum interval is refused on the form (422)."""

from __future__ import annotations

import datetime as dt

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages_wording import visible_text

from spinewise import services


def _move(clinic: Clinic, plan: services.PlanRecord, number: int, **data: str):  # type: ignore[no-untyped-def]
    page = clinic.as_page("therapist_a")
    base = f"/patients/{plan.patient_id}/plans/{plan.id}"
    form = page.get(f"{base}/sessions/{number}/move")
    assert form.status_code == 200
    return page.post(
        f"{base}/sessions/{number}/move",
        data={**data, "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )


def test_a_session_moved_on_the_form_is_on_the_schedule_and_the_day(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    actor = clinic.actor("therapist_a")
    dates = services.planned_dates(clinic.store, actor, plan.id)
    last = dates[-1]
    day = max(last.date + dt.timedelta(days=1), dt.date.today())
    moved = _move(
        clinic, plan, last.session_number,
        date=day.isoformat(), time="16:45", reason="patient travels",
    )  # fmt: skip
    assert moved.status_code == 303
    schedule = clinic.as_page("therapist_a").get(moved.headers["location"])
    text = visible_text(schedule.text)
    assert f"{day.isoformat()} 16:45 Moved" in text or "16:45" in text
    seen = services.day_view(clinic.store, actor, day)
    assert [(v.session_number, v.time) for v in seen.today_sessions] == [
        (last.session_number, "16:45")
    ]


def test_a_move_into_the_past_or_inside_the_interval_is_refused_on_the_form(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    before = services.planned_dates(clinic.store, clinic.actor("therapist_a"), plan.id)
    past = _move(clinic, plan, 2, date="2001-01-01", reason="x")
    assert past.status_code == 422
    assert "2001-01-01 is in the past" in visible_text(past.text)
    close = before[-2].date + dt.timedelta(days=1)
    tight = _move(clinic, plan, len(before), date=close.isoformat(), reason="x")
    assert tight.status_code == 422
    assert "minimum interval" in visible_text(tight.text)
    empty = _move(clinic, plan, 2, date="", reason="")
    assert empty.status_code == 422
    after = services.planned_dates(clinic.store, clinic.actor("therapist_a"), plan.id)
    assert after == before


def test_another_clinic_cannot_open_the_schedule(clinic: Clinic) -> None:
    plan = clinic.planned()
    page = clinic.as_page("therapist_b")
    found = page.get(f"/patients/{plan.patient_id}/plans/{plan.id}/schedule")
    assert found.status_code == 404


def test_a_plan_is_given_to_a_therapist_on_the_schedule_page(clinic: Clinic) -> None:
    plan = clinic.planned()
    page = clinic.as_page("physician_a")
    url = f"/patients/{plan.patient_id}/plans/{plan.id}"
    shown = page.get(f"{url}/schedule")
    assert "The plan is carried by Therapist A." in visible_text(shown.text)
    bad = page.post(
        f"{url}/therapist",
        data={"therapist_id": "abc", "csrf_token": csrf_of(shown.text)},
    )
    assert bad.status_code == 422
    physician = clinic.actor("physician_a").user_id
    refused = page.post(
        f"{url}/therapist",
        data={"therapist_id": str(physician), "csrf_token": csrf_of(shown.text)},
    )
    assert refused.status_code == 422
    assert "no active therapist" in visible_text(refused.text)
    therapist = clinic.actor("therapist_a").user_id
    done = page.post(
        f"{url}/therapist",
        data={"therapist_id": str(therapist), "csrf_token": csrf_of(shown.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303
