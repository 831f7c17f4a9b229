"""Every printed document in English and Russian: the reader's words, Cyrillic that
prints as Cyrillic (the bundled fonts, embedded), no field paths or placeholders."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from tests.factories import make_assessment
from tests.pdf_reading import assert_plain_words, fonts, words
from tests.reports.test_pdf import BUSY, CONTEXT

from spinewise.kb import KnowledgeBase
from spinewise.models import Decision
from spinewise.planning import CoursePlan, plan_course
from spinewise.reports import (
    render_access_pdf,
    render_care_sheet_pdf,
    render_plan_pdf,
)
from spinewise.screening import screen, translate_decision

BUNDLED = {"Spinewise-Sans", "Spinewise-Sans-Bold", "Spinewise-Mono"}
CYRILLIC = re.compile("[\u0400-\u04ff]")
EXPORT = {
    "schema": "spinewise.patient-export/1",
    "exported_on": "2026-12-01",
    "patient": {"name": "Анна Смирнова", "record_number": "P-7", "birth_date": None},
    "assessments": [
        {
            "id": 3,
            "assessment": {"red_flags": {"saddle_anaesthesia": False, "fever": None}},
        }
    ],
    "session_notes": [{"id": 4, "pain_before": 5, "soap": {"subjective": "лучше"}}],
}


def in_language(kb: KnowledgeBase, language: str) -> tuple[CoursePlan, Decision]:
    assessment = make_assessment(**BUSY)
    decision = screen(assessment, kb)
    local = kb.in_language(language)
    plan = plan_course(
        assessment, decision, local, dt.date(2026, 11, 24), language=language
    )
    return plan, translate_decision(decision, kb, language)


def assert_bundled_fonts(pdf: bytes, tmp_path: Path) -> None:
    embedded = fonts(pdf, tmp_path)
    assert embedded and all(is_embedded for _, is_embedded in embedded)
    assert {name.split("+")[-1] for name, _ in embedded} <= BUNDLED


@pytest.mark.parametrize(
    ("language", "heading", "sheet_heading"),
    [
        ("en", "Massage course plan", "Your care sheet"),
        ("ru", "План курса массажа", "Памятка для пациента"),
    ],
)
def test_the_plan_and_the_care_sheet_speak_the_readers_language(
    kb: KnowledgeBase, tmp_path: Path, language: str, heading: str, sheet_heading: str
) -> None:
    plan, decision = in_language(kb, language)
    plan_pdf = render_plan_pdf(plan, decision, CONTEXT, language)
    text = words(plan_pdf, tmp_path)
    assert heading in text
    assert all(f.rule in text for f in decision.findings)
    assert_plain_words(text)
    assert_bundled_fonts(plan_pdf, tmp_path)
    sheet = render_care_sheet_pdf(plan, CONTEXT, language)
    sheet_text = words(sheet, tmp_path, "sheet.pdf")
    assert sheet_heading in sheet_text and "Анна Петровна Смирнова" in sheet_text
    assert_plain_words(sheet_text)
    if language == "ru":
        assert "Страница 1 из" in text and "матрас" in sheet_text
        assert "Page 1 of" not in text and "Massage course plan" not in text
        assert "Zone to avoid" not in text and "Your care sheet" not in sheet_text
        assert len(CYRILLIC.findall(text)) > 1000
        # the planner's own words: where each step works, the zones, the figures
        assert "паравертебральные мышцы" in text and "сеансов на курс" in text
        assert "никогда не воздействовать на зону" in text
        assert "paraspinal" not in text and "never over" not in text
        assert "sessions per course" not in text and "vertebra(e)" not in text


def test_the_readable_record_labels_every_value_and_never_says_no_for_unknown(
    tmp_path: Path,
) -> None:
    pdf = render_access_pdf(EXPORT, "Клиника", "ru")
    text = words(pdf, tmp_path)
    assert "данные о пациенте" in text and "Анна Смирнова" in text  # noqa: RUF001
    assert "Седловидная анестезия" in text and " нет " in text
    assert "Симптомы опасности \u203a Лихорадка сейчас" in text
    assert "не записано" in text
    assert "Дневниковая запись (SOAP) \u203a лучше Жалобы" in text  # the label wraps
    assert not re.search(r"Saddle|Red flags|Fever|Subjective|Record number", text)
    assert_plain_words(text)
    assert_bundled_fonts(pdf, tmp_path)
