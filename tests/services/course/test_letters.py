"""Letters to the attending physician: the progress report and the discharge letter
(both databases), in English and Russian."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.pdf_reading import assert_plain_words, fonts, words
from tests.pg import World
from tests.services.builders import planned_patient, session_data

from spinewise import services
from spinewise.errors import NotFoundError, PermissionDeniedError
from spinewise.kb import KnowledgeBase
from spinewise.services import PlanRecord
from spinewise.store import AuditQuery, Store

PRINTED = dt.date(2026, 12, 20)


def course_with_outcomes(store: Store, world: World, kb: KnowledgeBase) -> PlanRecord:
    """A cleared patient with two sessions (the second stopped by a blister), an ODI
    from the "very severe" band to a clinically important improvement, and a STarT
    Back high risk group."""
    plan = planned_patient(store, world, kb)
    therapist, patient = world.therapist_a, plan.patient_id
    services.record_session(store, therapist, patient, session_data(plan, 1), kb)
    blister = session_data(
        plan, 2, pain_nrs_before=3, pain_nrs_after=2,
        adverse_events=[{"kind": "blister"}],
    )  # fmt: skip
    services.record_session(store, therapist, patient, blister, kb)
    for day, value in (("2026-11-20", 4), ("2026-12-01", 2)):
        response = {"instrument": "odi", "answered_on": day, "answers": [value] * 10}
        services.record_response(store, therapist, patient, response)
    startback = {"instrument": "startback", "answered_on": "2026-11-24",
                 "answers": [1] * 9}  # fmt: skip
    services.record_response(store, therapist, patient, startback)
    return plan


@pytest.fixture
def course(store: Store, world: World, kb: KnowledgeBase) -> PlanRecord:
    return course_with_outcomes(store, world, kb)


def letter(
    store: Store, world: World, kb: KnowledgeBase, plan: PlanRecord, kind: str,
    lang: str = "en",
) -> bytes:  # fmt: skip
    return services.physician_letter(
        store, world.therapist_a, plan.patient_id, kind, kb,
        language=lang, printed_on=PRINTED,
    )  # fmt: skip


def test_the_progress_report_gives_the_decision_clearance_sessions_and_outcomes(
    store: Store, world: World, kb: KnowledgeBase, course: PlanRecord, tmp_path: Path
) -> None:
    text = words(letter(store, world, kb, course, "progress"), tmp_path)
    assert "Progress report" in text and "to the attending physician" in text
    clearance = services.current_clearance(store, world.therapist_a, course.patient_id)
    assert clearance is not None and clearance.decided_at is not None
    assert clearance.physician_name and clearance.physician_name in text
    assert f"Decided on {clearance.decided_at:%-d %b %Y}" in text
    assert "2 sessions given" in text and "1 stop event" in text
    assert "SR-SKIN" in text  # the blister stopped session 2
    assert "Oswestry Disability Index 2.1a" in text
    assert "clinically important improvement" in text
    assert "Advisory: STarT Back high risk group" in text
    assert "psychologically informed care" in text
    assert "Pain before each session" in text


def test_the_odi_band_is_neutral_with_the_official_name_only_in_a_footnote(
    store: Store, world: World, kb: KnowledgeBase, course: PlanRecord, tmp_path: Path
) -> None:
    text = words(letter(store, world, kb, course, "progress"), tmp_path)
    assert "very severe*" in text
    assert text.count("crippled") == 1
    assert "official name for this band is “crippled”" in text


def test_the_letter_cites_every_finding_by_rule_and_source(
    store: Store, world: World, kb: KnowledgeBase, course: PlanRecord, tmp_path: Path
) -> None:
    text = words(letter(store, world, kb, course, "discharge"), tmp_path)
    assert "Discharge letter" in text
    assert "The course of massage has ended" not in text  # the plan is still active
    assert "The course plan is still open" in text and "(active)" in text
    decision = services.patient_overview(
        store, world.therapist_a, course.patient_id
    ).decisions
    findings = [f for d in decision.values() for f in d.decision.findings]
    assert findings
    for finding in findings:
        assert finding.rule in text and finding.source in text
    assert_plain_words(text)


def test_the_letter_in_russian_is_russian_and_embeds_its_fonts(
    store: Store, world: World, kb: KnowledgeBase, course: PlanRecord, tmp_path: Path
) -> None:
    pdf = letter(store, world, kb, course, "discharge", "ru")
    text = words(pdf, tmp_path)
    assert "Выписка" in text or "Выписное письмо" in text
    assert "лечащему врачу" in text
    assert "клинически значимое улучшение" in text
    assert "Progress" not in text and "Discharge" not in text
    assert_plain_words(text)
    embedded = fonts(pdf, tmp_path)
    assert embedded and all(is_embedded for _, is_embedded in embedded)
    assert {name.split("+")[-1] for name, _ in embedded} <= {
        "Spinewise-Sans", "Spinewise-Sans-Bold", "Spinewise-Mono"
    }  # the bundled fonts, never a system fallback  # fmt: skip


def test_a_letter_is_audited_and_kept_to_the_clinic_and_to_clinicians(
    store: Store, world: World, kb: KnowledgeBase, course: PlanRecord
) -> None:
    letter(store, world, kb, course, "progress")
    with store.unit_of_work() as uow:
        events = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, entity="patient"))
    exported = [e for e in events if e.action == "export"]
    assert exported and exported[-1].detail["document"] == "progress_letter"
    with pytest.raises(NotFoundError):
        services.physician_letter(
            store, world.therapist_b, course.patient_id, "progress", kb
        )
    with pytest.raises(PermissionDeniedError):
        services.physician_letter(
            store, world.admin_a, course.patient_id, "progress", kb
        )


def test_a_patient_without_a_decision_has_no_letter(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"name": "N. New", "record_number": "N-1"}
    )
    with pytest.raises(NotFoundError, match="screening decision"):
        services.physician_letter(store, world.therapist_a, patient.id, "progress", kb)
