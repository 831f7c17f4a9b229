"""Retention and erasure for the administrator: a confirmed erasure, refusals shown
on the page (open course 409, bad input 422), never a 500; clinicians cannot."""

from __future__ import annotations

from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages_wording import visible_text

from spinewise import services


def _erase(clinic: Clinic, who: str, **data: str):  # type: ignore[no-untyped-def]
    page = clinic.as_page(who)
    form = page.get("/erasure")
    token = csrf_of(form.text) if form.status_code == 200 else ""
    return page.post(
        "/erasure", data={**data, "csrf_token": token}, follow_redirects=False
    )


def test_an_administrator_erases_a_patient_after_confirming(clinic: Clinic) -> None:
    patient_id = clinic.patient(number="E-1")
    unconfirmed = _erase(
        clinic, "admin_a", patient_id=str(patient_id), reason="registered_in_error"
    )
    assert unconfirmed.status_code == 422
    assert "tick the box" in visible_text(unconfirmed.text)
    done = _erase(
        clinic, "admin_a", patient_id=str(patient_id),
        reason="registered_in_error", confirm="yes",
    )  # fmt: skip
    assert done.status_code == 303
    page = clinic.as_page("admin_a").get(done.headers["location"])
    assert f"Patient {patient_id}: personal data erased." in visible_text(page.text)
    shown = services.get_patient(clinic.store, clinic.actor("therapist_a"), patient_id)
    assert shown.name == f"Erased patient {patient_id}"


def test_an_open_course_and_bad_ids_are_refused_on_the_page(clinic: Clinic) -> None:
    plan = clinic.planned()
    refused = _erase(
        clinic, "admin_a", patient_id=str(plan.patient_id),
        reason="patient_request", confirm="yes",
    )  # fmt: skip
    assert refused.status_code == 409
    assert "has an open course" in visible_text(refused.text)
    for bad in ("", "abc", "99999999999999999999", "-1"):
        answer = _erase(
            clinic, "admin_a", patient_id=bad, reason="nonsense", confirm="yes"
        )
        assert answer.status_code == 422, bad
    other = _erase(
        clinic, "admin_b", patient_id=str(plan.patient_id),
        reason="patient_request", confirm="yes",
    )  # fmt: skip
    assert other.status_code == 404
    assert (
        services.get_patient(
            clinic.store, clinic.actor("therapist_a"), plan.patient_id
        ).name
        == "Ann Lee"
    )


def test_only_administrators_reach_the_erasure_page(clinic: Clinic) -> None:
    assert clinic.as_page("therapist_a").get("/erasure").status_code == 403
    admin = clinic.as_page("admin_a")
    page = admin.get("/erasure")
    period = admin.post(
        "/erasure/period",
        data={"years": "500", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert period.status_code == 422
    saved = admin.post(
        "/erasure/period",
        data={"years": "12", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert "keeps records 12 years" in visible_text(admin.get("/erasure").text)
    job = admin.post("/erasure/expired", data={"csrf_token": csrf_of(page.text)})
    assert job.status_code == 200
    assert "erased 0 patients" in visible_text(job.text)


def test_the_administrators_day_shows_messages_that_did_not_go_out(
    clinic: Clinic,
) -> None:
    text = visible_text(clinic.as_page("admin_a").get("/today").text)
    assert "Messages that did not go out (0)" in text
    assert "Every message went out." in text


def test_the_erasure_page_speaks_russian(clinic: Clinic) -> None:
    admin = clinic.as_page("admin_a")
    page = admin.get("/erasure", headers={"Accept-Language": "ru"})
    text = visible_text(page.text)
    assert "Хранение и удаление данных" in text
    assert "25 лет после последней клинической записи" in text
