"""``/api/v1`` outcomes: questionnaires entered at the clinic, links, the change."""

from __future__ import annotations

import re

from tests.web.clinic import Clinic


def test_two_questionnaires_give_the_change_and_a_chart(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    api = clinic.as_api("therapist_a")
    path = f"/api/v1/patients/{patient_id}/questionnaires"
    for day, answer in (("2026-11-01", 7), ("2026-11-20", 3)):
        response = api.post(
            path, json={"instrument": "nrs", "answered_on": day, "answers": [answer]}
        )
        assert response.status_code == 201, response.text
    report = api.get(f"/api/v1/patients/{patient_id}/outcomes").json()
    series = report["series"][0]
    assert series["instrument"] == "nrs"
    assert series["latest"]["classification"] == "improved"
    assert series["latest"]["clinically_important"] is True
    assert series["chart_svg"].startswith("<svg")


def test_an_answer_out_of_range_names_the_item(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/questionnaires",
        json={"instrument": "nrs", "answered_on": "2026-11-01", "answers": [12]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers[0]"


def test_a_link_is_created_once_and_opens_without_an_account(clinic: Clinic) -> None:
    clinic.fake_texts()
    patient_id = clinic.patient()
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/questionnaire-links", json={"instrument": "odi"}
    )
    assert response.status_code == 201
    link = response.json()
    assert link["instrument"] == "odi"
    token = re.sub(r"^.*/q/", "", link["url"])
    page = clinic.anonymous().get(f"/q/{token}")
    assert page.status_code == 200
    assert "FAKE ODI test pack" in page.text and "placeholder" not in page.text


def test_a_link_without_texts_is_a_conflict_naming_the_import(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/questionnaire-links", json={"instrument": "ndi"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["errors"][0]["field"] == "instrument"
    assert "questionnaire texts import" in body["errors"][0]["message"]


def test_an_unknown_questionnaire_is_named(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    response = clinic.as_api("therapist_a").post(
        f"/api/v1/patients/{patient_id}/questionnaire-links",
        json={"instrument": "sf36"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "instrument"


def test_another_clinics_outcomes_are_not_found(clinic: Clinic) -> None:
    theirs = clinic.patient("therapist_b", "B-1")
    api = clinic.as_api("therapist_a")
    for response in (
        api.get(f"/api/v1/patients/{theirs}/outcomes"),
        api.post(
            f"/api/v1/patients/{theirs}/questionnaires",
            json={"instrument": "nrs", "answered_on": "2026-11-01", "answers": [5]},
        ),
        api.post(
            f"/api/v1/patients/{theirs}/questionnaire-links", json={"instrument": "nrs"}
        ),
    ):
        assert response.status_code == 404


def test_an_admin_may_not_read_outcomes(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    response = clinic.as_api("admin_a").get(f"/api/v1/patients/{patient_id}/outcomes")
    assert response.status_code == 403
