"""Printed reports: the course plan and the one-page care sheet, read back as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from tests.factories import assessment_data, make_assessment
from tests.pdf_reading import pages, pdf_text

from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.planning import CoursePlan, describe_where, plan_course
from spinewise.reports import (
    ReportContext,
    render_care_sheet_html,
    render_care_sheet_pdf,
    render_plan_html,
    render_plan_pdf,
)
from spinewise.screening import screen

PATIENT = "Анна Петровна Смирнова"
CONTEXT = ReportContext(
    clinic_name="Клиника «Здоровая спина»",
    clinic_address="12 Lenina St, Kazan",
    clinic_phone="+7 843 555-01-02",
    patient_name=PATIENT,
    patient_id="P-000123",
    patient_birth_date=dt.date(1980, 5, 17),
    therapist="Ivan Orlov",
    printed_on=dt.date(2026, 11, 24),
)
BUSY = {
    "symptoms": {"radicular_pain": True},
    "hernia": {"side": "central", "imaging": "none"},
    "history": {"osteoporosis": True},
    "medications": {"antiplatelets": None},
}


def planned(kb: KnowledgeBase, **sections: Any) -> tuple[CoursePlan, Decision]:
    assessment = make_assessment(**sections)
    decision = screen(assessment, kb)
    return plan_course(assessment, decision, kb, dt.date(2026, 11, 24)), decision


@pytest.fixture(scope="module")
def busy_plan(kb: KnowledgeBase) -> tuple[CoursePlan, Decision]:
    return planned(kb, **BUSY)


@pytest.fixture(scope="module")
def plan_pdf(busy_plan: tuple[CoursePlan, Decision]) -> bytes:
    plan, decision = busy_plan
    return render_plan_pdf(plan, decision, CONTEXT)


def test_the_plan_pdf_names_the_patient_in_cyrillic(
    plan_pdf: bytes, tmp_path: Path
) -> None:
    assert plan_pdf.startswith(b"%PDF")
    text = pdf_text(plan_pdf, tmp_path)
    assert PATIENT in text and "P-000123" in text and "Здоровая спина" in text


def test_the_plan_pdf_cites_every_finding_by_rule_id(
    plan_pdf: bytes, busy_plan: tuple[CoursePlan, Decision], tmp_path: Path
) -> None:
    text = pdf_text(plan_pdf, tmp_path)
    _, decision = busy_plan
    assert decision.findings
    for finding in decision.findings:
        assert finding.rule in text
        assert finding.source in text


def test_the_plan_pdf_lists_the_zones_to_avoid_and_the_stop_rules(
    plan_pdf: bytes, busy_plan: tuple[CoursePlan, Decision], tmp_path: Path
) -> None:
    text = " ".join(pdf_text(plan_pdf, tmp_path).split())
    plan, _ = busy_plan
    for zone in plan.zones_to_avoid():
        assert " ".join(zone.label.split()[:4]) in text
    for rule in plan.stop_rules:
        assert rule.id in text
    assert "Dr. A. Petrova" in text and "20 Dec 2026" in text
    assert "hernia L4-L5" in text


def test_the_plan_pdf_says_where_each_step_must_never_work(
    busy_plan: tuple[CoursePlan, Decision], tmp_path: Path
) -> None:
    plan, decision = busy_plan
    html = render_plan_html(plan, decision, CONTEXT)
    wheres = {
        describe_where(step)
        for course in plan.courses
        for session in course.sessions
        for step in session.steps
        if step.keeps_off
    }
    assert wheres
    for where in wheres:
        assert where in html
    assert "never over paraspinal muscles L2\u2013S2" in html


def test_the_plan_pdf_shows_the_sessions_and_versions_on_numbered_pages(
    plan_pdf: bytes, busy_plan: tuple[CoursePlan, Decision], tmp_path: Path
) -> None:
    text = pdf_text(plan_pdf, tmp_path)
    plan, _ = busy_plan
    count = pages(plan_pdf, tmp_path)
    assert f"Page 1 of {count}" in text and f"Page {count} of {count}" in text
    assert f"knowledge base {plan.kb_version}" in text
    for course in plan.courses:
        assert f"{course.name}: {len(course.sessions)} sessions" in text
        assert course.sessions[-1].date.strftime("%d %b %Y") in text


@pytest.mark.parametrize(
    "sections",
    [
        pytest.param(BUSY, id="lumbar-central-with-precautions"),
        pytest.param(
            {
                "hernia": {"region": "cervical", "levels": ["C5-C6"]},
                "symptoms": {"radicular_pain": True},
            },
            id="cervical-radicular",
        ),
        pytest.param(
            {"hernia": {"region": "thoracic", "levels": ["T7-T8"]}}, id="thoracic"
        ),
    ],
)
def test_the_care_sheet_is_one_page_in_plain_words(
    kb: KnowledgeBase, sections: dict[str, Any], tmp_path: Path
) -> None:
    plan, _ = planned(kb, **sections)
    pdf = render_care_sheet_pdf(plan, CONTEXT)
    assert pages(pdf, tmp_path) == 1
    text = pdf_text(pdf, tmp_path)
    assert PATIENT in text
    assert "PC-" not in text and "IN-" not in text
    assert "medium-firm mattress" in " ".join(text.split())


def test_the_care_sheet_carries_the_cauda_equina_card_when_it_is_due(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    central, _ = planned(kb, hernia={"side": "central"})
    left, _ = planned(kb)
    assert "Cauda equina warning card" in pdf_text(
        render_care_sheet_pdf(central, CONTEXT), tmp_path
    )
    assert "Cauda equina warning card" not in render_care_sheet_html(left, CONTEXT)


def test_names_are_escaped_in_the_html(busy_plan: tuple[CoursePlan, Decision]) -> None:
    plan, decision = busy_plan
    context = CONTEXT.model_copy(update={"patient_name": "<script>x</script>"})
    html = render_plan_html(plan, decision, context)
    assert "<script>x" not in html and "&lt;script&gt;x" in html
    assert "<script>x" not in render_care_sheet_html(plan, context)


def test_a_report_context_needs_a_clinic_and_a_patient() -> None:
    with pytest.raises(ValidationError):
        ReportContext(
            clinic_name="",
            patient_name="A",
            patient_id="1",
            printed_on=dt.date(2026, 1, 1),
        )


def test_a_nonspecific_plan_pdf_and_care_sheet_name_the_profile(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    data = assessment_data(
        condition={
            "profile": "nonspecific_back_pain",
            "region": "cervical",
            "sedentary": True,
        }
    )
    del data["hernia"]
    assessment = Assessment.model_validate(data)
    decision = screen(assessment, kb)
    plan = plan_course(assessment, decision, kb, dt.date(2026, 11, 24))
    text = " ".join(
        pdf_text(render_plan_pdf(plan, decision, CONTEXT), tmp_path).split()
    )
    assert "non-specific back or neck pain" in text
    assert "Hernia" not in text.split("Decision")[0]
    sheet = pdf_text(render_care_sheet_pdf(plan, CONTEXT), tmp_path, "sheet.pdf")
    assert "Breaks from sitting" in sheet
