"""Assess again without losing the physician's word: the read-only assessment, the
prefilled new assessment (red flags asked afresh) and what changed."""

from __future__ import annotations

import datetime as dt
import re

from tests.factories import assessment_data
from tests.web.clinic import Clinic
from tests.web.test_pages_wording import visible_text

from spinewise import services
from spinewise.models import Verdict
from spinewise.web.pages.assessments import blank_draft

RADIO = re.compile(r'name="([a-z_.]+)" value="([a-z_]+)" checked')


def checked(html: str) -> dict[str, str]:
    return dict(RADIO.findall(html))


def test_a_physician_reads_the_assessment_from_the_clearance_request(
    clinic: Clinic,
) -> None:
    result = clinic.assessed()
    patient_id = result.assessment.patient_id
    services.request_clearance(clinic.store, clinic.actor("therapist_a"), patient_id)
    page = clinic.as_page("physician_a")
    queue = page.get("/clearances").text
    link = f"/patients/{patient_id}/assessments/{result.assessment.id}"
    assert f'href="{link}"' in queue
    assert f'href="{link}"' in page.get(f"/patients/{patient_id}/clearance").text
    shown = page.get(link)
    assert shown.status_code == 200
    text = visible_text(shown.text)
    assert "Read only" in text and "first assessment" in text
    assert "Saddle anaesthesia (numbness between the legs) no" in text
    assert "Awaiting clearance" in text and "IN-CUR-01" in text
    assert "<form" not in shown.text.split("<main", 1)[1]


def test_a_new_assessment_starts_from_the_previous_answers_but_the_red_flags(
    clinic: Clinic,
) -> None:
    result = clinic.assessed(symptoms={"pain_nrs": 5, "radicular_pain": True})
    patient_id = result.assessment.patient_id
    page = clinic.as_page("therapist_a")
    html = page.get(f"/patients/{patient_id}/assessments/new").text
    chosen = checked(html)
    assert chosen["symptoms.radicular_pain"] == "yes"
    assert chosen["circulation_skin.fragile_skin"] == "no"
    assert not [path for path in chosen if path.startswith("red_flags.")]
    assert 'name="symptoms.pain_nrs" value="5"' in html or re.search(
        r'name="symptoms.pain_nrs"[^>]*value="5"', html
    )
    assert "red flags are asked afresh" in visible_text(html)


def test_the_prefilled_form_sent_as_it_is_leaves_every_red_flag_unknown(
    clinic: Clinic,
) -> None:
    result = clinic.assessed()
    patient = services.get_patient(
        clinic.store, clinic.actor("therapist_a"), result.assessment.patient_id
    )
    draft = blank_draft(patient, dt.date(2026, 12, 1), result.assessment)
    data = draft.to_contract()
    assert set(data["red_flags"].values()) == {None}
    assert data["symptoms"]["pain_nrs"] == "3"
    screened = services.submit_assessment(
        clinic.store, clinic.actor("therapist_a"), patient.id, data, clinic.kb
    )
    assert screened.decision.decision.verdict is Verdict.INCOMPLETE


def test_the_assessment_page_marks_what_changed(clinic: Clinic) -> None:
    result = clinic.assessed()
    patient_id = result.assessment.patient_id
    newer = services.submit_assessment(
        clinic.store,
        clinic.actor("therapist_a"),
        patient_id,
        assessment_data(symptoms={"pain_nrs": 6}),
        clinic.kb,
    )
    page = clinic.as_page("physician_a")
    text = visible_text(
        page.get(f"/patients/{patient_id}/assessments/{newer.assessment.id}").text
    )
    assert "Answers that differ from assessment 1" in text
    assert re.search(r"Pain now, 0 \(none\) to 10 \(worst\) 3 6", text)
