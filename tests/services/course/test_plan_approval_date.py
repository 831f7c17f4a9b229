"""The plan's "approved on" is the clearance's decision date (both databases)."""

from __future__ import annotations

from pathlib import Path

from tests.pdf_reading import words
from tests.pg import World
from tests.services.builders import planned_patient

from spinewise import services
from spinewise.i18n import format_date
from spinewise.kb import KnowledgeBase
from spinewise.store import Store


def test_approved_on_is_the_day_the_physician_decided_not_the_assessment_day(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    clearance = services.current_clearance(store, world.therapist_a, plan.patient_id)
    assert clearance is not None and clearance.decided_at is not None
    assert plan.plan.clearance.date == clearance.decided_at.date()
    assert plan.plan.clearance.date != plan.plan.assessed_on


def test_the_plan_pdf_prints_the_day_the_physician_decided(
    store: Store, world: World, kb: KnowledgeBase, tmp_path: Path
) -> None:
    plan = planned_patient(store, world, kb)
    clearance = services.current_clearance(store, world.therapist_a, plan.patient_id)
    assert clearance is not None and clearance.decided_at is not None
    pdf = services.export_plan_pdf(store, world.therapist_a, plan.id, kb=kb)
    decided = format_date(clearance.decided_at.date(), "en", "medium")
    assert f"Approved on {decided}" in words(pdf, tmp_path)
