"""The questionnaire-texts page (administrators) and the link page's QR code."""

from __future__ import annotations

import yaml
from tests.text_packs import fake_pack
from tests.web.clinic import Clinic, csrf_of
from tests.web.test_pages import assert_well_formed


def upload(clinic: Clinic, name: str, data: object) -> object:
    page = clinic.as_page("admin_a")
    token = csrf_of(page.get("/questionnaire-texts").text)
    return page.post(
        "/questionnaire-texts",
        data={"csrf_token": token},
        files={"pack": (name, yaml.safe_dump(data).encode(), "application/yaml")},
        follow_redirects=False,
    )


def test_an_administrator_uploads_a_pack_and_sees_it_in_force(clinic: Clinic) -> None:
    response = upload(clinic, "odi-en.yaml", fake_pack("odi"))
    assert response.status_code == 303  # type: ignore[attr-defined]
    html = clinic.as_page("admin_a").get("/questionnaire-texts?imported=1").text
    assert "FAKE ODI test pack" in html and "in force" in html
    assert_well_formed(html)


def test_a_pack_in_the_wrong_shape_is_422_naming_the_file_and_fields(
    clinic: Clinic,
) -> None:
    data = fake_pack("startback")
    data["items"][8]["options"] = data["items"][8]["options"][:2]
    response = upload(clinic, "sbt.yaml", data)
    assert response.status_code == 422  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "sbt.yaml: items[8].options" in text
    assert "expected 5 options scored 0..4; got 2" in text
    assert "No text packs imported yet" in text


def test_therapists_cannot_open_the_texts_page(clinic: Clinic) -> None:
    page = clinic.as_page("therapist_a")
    assert page.get("/questionnaire-texts").status_code == 200  # read-only list
    token = csrf_of(page.get("/questionnaire-texts").text)
    response = page.post(
        "/questionnaire-texts",
        data={"csrf_token": token},
        files={"pack": ("a.yaml", b"instrument: odi", "application/yaml")},
    )
    assert response.status_code == 403


def test_the_link_page_shows_the_full_address_and_a_qr_code(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    page = clinic.as_page("therapist_a")
    outcomes = page.get(f"/patients/{patient_id}/outcomes").text
    response = page.post(
        f"/patients/{patient_id}/questionnaire-links",
        data={"instrument": "nrs", "csrf_token": csrf_of(outcomes)},
    )
    assert response.status_code == 201
    assert 'value="http://testserver/q/' in response.text
    assert "<svg" in response.text and "QR code" in response.text
    assert_well_formed(response.text)


def test_a_link_without_texts_says_what_to_import_on_the_page(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    page = clinic.as_page("therapist_a")
    outcomes = page.get(f"/patients/{patient_id}/outcomes").text
    response = page.post(
        f"/patients/{patient_id}/questionnaire-links",
        data={"instrument": "rmdq", "csrf_token": csrf_of(outcomes)},
    )
    assert response.status_code == 409
    assert "questionnaire texts import" in response.text
