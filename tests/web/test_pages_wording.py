"""Words a clinician reads: no page and no PDF shows a field path, a repository path
or a stigmatising instrument band; plan steps near the spine say where they must not
work."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from tests.reports.test_pdf import pdf_text
from tests.web.clinic import Clinic
from tests.web.test_pages_access import concrete, page_routes

from spinewise.models import Assessment
from spinewise.services import patient_status

SECTIONS = "|".join(name for name in Assessment.model_fields if not name.endswith("_"))
FIELD_PATH = re.compile(rf"\b(?:{SECTIONS})\.[a-z_]+")
REPOSITORY_PATH = re.compile(
    r"\b(?:docs|src|tests|examples|shared|reference)/[\w./#-]+"
    r"|\b[\w-]+\.(?:md|py|yaml|yml)\b"
)
ENGINE_WORDS = re.compile(r"\b(?:undetermined rules?|fired|crippled|exaggerating)\b")


class _Text(HTMLParser):
    """The text a reader sees: no tags, no scripts, no styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def assert_clinical_words(text: str, where: str) -> None:
    for pattern in (FIELD_PATH, REPOSITORY_PATH, ENGINE_WORDS):
        found = pattern.search(text)
        assert found is None, (where, found.group(0) if found else "")


def records(clinic: Clinic) -> dict[str, str]:
    plan = clinic.planned()
    note = clinic.session(plan).note
    status = patient_status(clinic.store, clinic.actor("therapist_a"), plan.patient_id)
    return {
        "patient_id": str(plan.patient_id),
        "plan_id": str(plan.id),
        "decision_id": str(status.decision_id),
        "assessment_id": str(status.assessment_id),
        "note_id": str(note.id),
        "instrument": "odi",
    }


def test_no_page_shows_a_field_path_a_file_path_or_an_engine_word(
    clinic: Clinic,
) -> None:
    ids = records(clinic)
    unknown = clinic.assessed(number="P-2", red_flags={"bowel_dysfunction": None})
    unknown_page = f"/patients/{unknown.assessment.patient_id}"
    read = 0
    for name in ("therapist_a", "physician_a", "admin_a"):
        page = clinic.as_page(name)
        paths = [concrete(p, ids) for p, m in page_routes(clinic) if "GET" in m]
        for url in [*paths, unknown_page]:
            response = page.get(url)
            kind = response.headers.get("content-type", "")
            if response.status_code != 200 or not kind.startswith("text/html"):
                continue
            assert_clinical_words(visible_text(response.text), f"{name} {url}")
            read += 1
    assert read >= 30


def test_an_unknown_safety_answer_is_named_by_its_question(clinic: Clinic) -> None:
    unknown = clinic.assessed(red_flags={"bowel_dysfunction": None})
    page = clinic.as_page("therapist_a")
    text = visible_text(page.get(f"/patients/{unknown.assessment.patient_id}").text)
    assert "red_flags" not in text
    assert "Incomplete: 1 safety answer(s) missing (\u201c" in text


def test_the_printed_plan_and_care_sheet_use_clinical_words(
    clinic: Clinic, tmp_path: Path
) -> None:
    plan = clinic.planned()
    page = clinic.as_page("therapist_a")
    for name in ("plan.pdf", "care-sheet.pdf"):
        response = page.get(f"/patients/{plan.patient_id}/plans/{plan.id}/{name}")
        assert response.status_code == 200, name
        text = " ".join(pdf_text(response.content, tmp_path, name).split())
        assert_clinical_words(text, name)


def test_the_letters_and_the_readable_record_use_clinical_words(
    clinic: Clinic, tmp_path: Path
) -> None:
    plan = clinic.planned()
    clinic.session(plan)
    page = clinic.as_page("therapist_a")
    for name in ("letters/progress.pdf", "letters/discharge.pdf", "record.pdf"):
        for language in ("en", "ru"):
            response = page.get(
                f"/patients/{plan.patient_id}/{name}",
                headers={"Accept-Language": language},
            )
            assert response.status_code == 200, name
            saved = f"{name.replace('/', '-')}-{language}"
            text = " ".join(pdf_text(response.content, tmp_path, saved).split())
            assert_clinical_words(text, saved)


def test_the_plan_page_says_where_each_step_must_never_work(clinic: Clinic) -> None:
    plan = clinic.planned()
    page = clinic.as_page("therapist_a")
    text = visible_text(page.get(f"/patients/{plan.patient_id}/plan").text)
    assert "never over paraspinal muscles L3\u2013S1" in text
