"""Ending a course from the plan page: a button leads to a confirmation page saying
what will be cancelled; bad input stays on the form (422), the ending completes the
plan and the button is gone; another clinic gets 404."""

from __future__ import annotations

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages_wording import visible_text

from spinewise import services
from spinewise.services import PlanStatus


def test_a_course_is_ended_from_the_plan_page_after_a_confirmation(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    page = clinic.as_page("physician_a")
    shown = page.get(f"/patients/{plan.patient_id}/plan")
    end = f"/patients/{plan.patient_id}/plans/{plan.id}/end"
    assert f'href="{end}"' in shown.text and "End the course…" in shown.text
    form = page.get(end)
    assert form.status_code == 200
    assert "the discharge questionnaire stays due" in visible_text(form.text)
    bad = page.post(
        end,
        data={"ending": "discontinued", "reason": "", "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "Reason" in visible_text(bad.text)
    assert services.get_plan(
        clinic.store, clinic.actor("therapist_a"), plan.id
    ).status is (PlanStatus.ACTIVE)
    done = page.post(
        end,
        data={
            "ending": "discontinued",
            "reason": "unable_to_attend",
            "note": "moved to another town",
            "csrf_token": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/patients/{plan.patient_id}/plan"
    after = page.get(done.headers["location"])
    assert "Completed" in visible_text(after.text)
    assert f'href="{end}"' not in after.text
    again = page.post(
        end,
        data={
            "ending": "discontinued",
            "reason": "referred",
            "csrf_token": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert again.status_code == 409


def test_the_confirmation_page_speaks_russian_and_hides_from_other_clinics(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    end = f"/patients/{plan.patient_id}/plans/{plan.id}/end"
    other = clinic.as_page("therapist_b").get(end)
    assert other.status_code == 404
    russian = clinic.as_page("therapist_a").get(end, headers={"Accept-Language": "ru"})
    text = visible_text(russian.text)
    assert "Завершить курс" in text and "Завершён досрочно" in text
