"""Course plans through the services: issued from the stored decision, refused without
clearance, superseded, printed; audited and isolated per clinic (both databases)."""

from __future__ import annotations

import pytest
from tests.pg import World
from tests.services.builders import START, assessed_patient, planned_patient

from spinewise import services
from spinewise.errors import NotFoundError, PermissionDeniedError, PlanRefusedError
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.services import PlanStatus
from spinewise.store import AuditQuery, Store


def trail(store: Store, clinic_id: int, patient_id: int) -> list[tuple[str, str, str]]:
    with store.unit_of_work() as uow:
        rows = uow.audit.query(AuditQuery(clinic_id=clinic_id, patient_id=patient_id))
    return [(r.username or "", r.action, r.entity) for r in reversed(rows)]


def test_a_plan_is_issued_from_the_latest_decision_and_audited(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    assert plan.status is PlanStatus.ACTIVE
    assert plan.plan.start_date == START
    assert plan.kb_version == kb.version
    decision = services.decisions_of_patient(store, world.therapist_a, plan.patient_id)
    assert plan.decision_id == decision[0].id
    assert ("therapist-a", "create", "course_plan") in trail(
        store, world.clinic_a, plan.patient_id
    )


def test_no_plan_without_a_physician_approval(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    screened = assessed_patient(store, world.therapist_a, kb)
    with pytest.raises(PlanRefusedError, match="proceed"):
        services.issue_plan(
            store,
            world.therapist_a,
            screened.assessment.patient_id,
            kb,
            start_date=START,
        )


def test_no_plan_from_a_decision_of_another_knowledge_base(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    newer = kb.model_copy(update={"version": "2099.1"})
    with pytest.raises(PlanRefusedError, match="re-screen with 2099"):
        services.issue_plan(store, world.therapist_a, plan.patient_id, newer)


def test_a_new_plan_supersedes_the_old_and_an_active_one_is_reused(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    first = planned_patient(store, world, kb)
    again = services.issue_plan(
        store, world.therapist_a, first.patient_id, kb, reuse_current=True
    )
    assert again.id == first.id
    second = services.issue_plan(
        store,
        world.therapist_a,
        first.patient_id,
        kb,
        start_date=START,
        modalities=[Modality.CLASSICAL],
    )
    assert [c.modality for c in second.plan.courses] == [Modality.CLASSICAL]
    assert services.get_plan(store, world.physician_a, first.id).status is (
        PlanStatus.SUPERSEDED
    )
    current = services.current_plan(store, world.physician_a, first.patient_id)
    assert current is not None and current.id == second.id


def test_another_clinic_cannot_issue_read_or_print_the_plan(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    outsider = world.therapist_b
    with pytest.raises(NotFoundError):
        services.issue_plan(store, outsider, plan.patient_id, kb)
    with pytest.raises(NotFoundError):
        services.get_plan(store, outsider, plan.id)
    with pytest.raises(NotFoundError):
        services.current_plan(store, outsider, plan.patient_id)
    with pytest.raises(NotFoundError):
        services.export_plan_pdf(store, outsider, plan.id)
    with store.unit_of_work() as uow:
        denied = uow.audit.query(AuditQuery(clinic_id=world.clinic_b, action="denied"))
    assert len(denied) == 4


def test_administrators_do_not_issue_or_read_plans(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    with pytest.raises(PermissionDeniedError):
        services.issue_plan(store, world.admin_a, plan.patient_id, kb)
    with pytest.raises(PermissionDeniedError):
        services.get_plan(store, world.admin_a, plan.id)


def test_printing_the_plan_and_care_sheet_is_an_audited_export(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    pdf = services.export_plan_pdf(store, world.therapist_a, plan.id)
    sheet = services.export_care_sheet_pdf(store, world.physician_a, plan.id)
    assert pdf.startswith(b"%PDF") and sheet.startswith(b"%PDF")
    exports = [
        event
        for event in trail(store, world.clinic_a, plan.patient_id)
        if event[1] == "export"
    ]
    assert exports == [
        ("therapist-a", "export", "course_plan"),
        ("physician-a", "export", "course_plan"),
    ]
