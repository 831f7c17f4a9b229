"""The patient page's documents: letters to the physician and the readable record,
downloaded as PDF in the reader's language, audited, kept to the clinic's clinicians."""

from __future__ import annotations

from pathlib import Path

from tests.pdf_reading import assert_plain_words, words
from tests.web.clinic import Clinic

from spinewise import services


def test_the_patient_page_offers_the_letters_and_the_readable_record(
    clinic: Clinic,
) -> None:
    plan = clinic.planned()
    page = clinic.as_page("therapist_a").get(f"/patients/{plan.patient_id}").text
    for link in ("letters/progress.pdf", "letters/discharge.pdf", "record.pdf"):
        assert f"/patients/{plan.patient_id}/{link}" in page


def test_a_progress_report_downloads_in_the_readers_language(
    clinic: Clinic, tmp_path: Path
) -> None:
    plan = clinic.planned()
    clinic.session(plan)
    page = clinic.as_page("therapist_a")
    english = page.get(f"/patients/{plan.patient_id}/letters/progress.pdf")
    assert english.status_code == 200
    assert english.headers["content-type"] == "application/pdf"
    assert "attachment" in english.headers["content-disposition"]
    assert "Progress report" in words(english.content, tmp_path)
    russian = page.get(
        f"/patients/{plan.patient_id}/letters/discharge.pdf",
        headers={"Accept-Language": "ru"},
    )
    text = words(russian.content, tmp_path, "ru.pdf")
    assert "Выписное письмо" in text and "лечащему врачу" in text
    assert_plain_words(text)


def test_the_readable_record_is_audited_and_kept_to_the_clinic(
    clinic: Clinic, tmp_path: Path
) -> None:
    plan = clinic.planned()
    clinic.session(plan)
    response = clinic.as_page("physician_a").get(
        f"/patients/{plan.patient_id}/record.pdf"
    )
    assert response.status_code == 200
    text = words(response.content, tmp_path)
    assert "Everything held about the patient" in text and "Ann Lee" in text
    assert "Session notes" in text and "Pain before" in text
    assert "Pain nrs" not in text  # a field name reads as words
    assert_plain_words(text)
    trail = services.list_audit(
        clinic.store, clinic.actor("admin_a"),
        services.AuditFilter(patient_id=plan.patient_id, action="export"),
    )  # fmt: skip
    assert [(e.entity, e.action) for e in trail] == [("patient", "export")]
    other = clinic.as_page("therapist_b")
    assert other.get(f"/patients/{plan.patient_id}/record.pdf").status_code == 404
    assert (
        other.get(f"/patients/{plan.patient_id}/letters/progress.pdf").status_code
        == 404
    )


def test_an_unknown_letter_kind_is_not_found(clinic: Clinic) -> None:
    plan = clinic.planned()
    page = clinic.as_page("therapist_a")
    assert page.get(f"/patients/{plan.patient_id}/letters/other.pdf").status_code == 404
