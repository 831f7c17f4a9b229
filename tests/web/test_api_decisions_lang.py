"""Stored decisions in another language: ``?lang=`` or Accept-Language on the
decision endpoints, like ``POST /screen``; without either, the record as stored."""

from __future__ import annotations

from tests.web.clinic import Clinic

from spinewise import services


def _stored(clinic: Clinic) -> tuple[int, int]:
    result = clinic.assessed()
    status = services.patient_status(
        clinic.store, clinic.actor("therapist_a"), result.assessment.patient_id
    )
    assert status.decision_id is not None
    return result.assessment.patient_id, status.decision_id


def test_a_stored_decision_reads_in_russian_with_the_same_codes(clinic: Clinic) -> None:
    _, decision_id = _stored(clinic)
    api = clinic.as_api("therapist_a")
    english = api.get(f"/api/v1/decisions/{decision_id}").json()
    russian = api.get(f"/api/v1/decisions/{decision_id}?lang=ru").json()
    assert "lang" not in english
    assert russian["lang"] == "ru"
    assert russian["decision"]["verdict"] == english["decision"]["verdict"]
    assert russian["decision"]["summary"] != english["decision"]["summary"]
    rules = [f["rule"] for f in russian["decision"]["findings"]]
    assert rules == [f["rule"] for f in english["decision"]["findings"]]


def test_an_unknown_language_answers_in_english_and_says_so(clinic: Clinic) -> None:
    patient_id, _ = _stored(clinic)
    api = clinic.as_api("therapist_a")
    listed = api.get(f"/api/v1/patients/{patient_id}/decisions?lang=xx")
    assert listed.status_code == 200
    first = listed.json()[0]
    assert first["lang"] == "en" and "unknown language 'xx'" in first["lang_warning"]
