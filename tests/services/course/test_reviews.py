"""Results that change the course: a worsening beyond the MIC or pain rising three
sessions in a row asks for a review before the next session (both databases)."""

from __future__ import annotations

import pytest
from tests.pg import World
from tests.services.builders import START, planned_patient, session_data

from spinewise import services
from spinewise.errors import ConflictError, InputError, NotFoundError
from spinewise.kb import KnowledgeBase
from spinewise.services import PlanRecord, Resolution
from spinewise.store import AuditQuery, Store


def odi(day: str, value: int) -> dict[str, object]:
    return {"instrument": "odi", "answered_on": day, "answers": [value] * 10}


def sign(
    store: Store, world: World, kb: KnowledgeBase, plan: PlanRecord, n: int, pain: int
) -> services.SessionOutcome:
    data = session_data(plan, n, pain_nrs_before=pain, pain_nrs_after=pain)
    return services.record_session(store, world.therapist_a, plan.patient_id, data, kb)


def worsen(store: Store, world: World, plan: PlanRecord) -> None:
    for day, value in ((START.isoformat(), 2), ("2026-12-01", 3)):  # 40 % -> 60 %
        services.record_response(
            store, world.therapist_a, plan.patient_id, odi(day, value)
        )


def test_an_odi_worsening_beyond_the_mic_holds_the_next_session(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    sign(store, world, kb, plan, 1, 4)
    worsen(store, world, plan)
    [review] = services.course_reviews(store, world.therapist_a, plan.patient_id)
    assert review.open and "ODI worsened from 40.0" in review.reasons[0]
    [russian] = services.course_reviews(store, world.therapist_a, plan.patient_id, "ru")
    words = russian.reasons[0]
    assert words.startswith("ODI: ухудшение с 40,0 (исходная")  # noqa: RUF001
    assert "до 60,0 (1 дек. 2026\u202fг.)" in words  # noqa: RUF001
    with pytest.raises(ConflictError, match="review before the next session") as caught:
        sign(store, world, kb, plan, 2, 4)
    assert caught.value.field == "review"
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="course_review")
        )
    assert [e.action for e in events] == ["create"]


def test_recording_why_the_course_goes_on_releases_the_next_session(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    worsen(store, world, plan)
    [review] = services.course_reviews(store, world.therapist_a, plan.patient_id)
    with pytest.raises(InputError):
        services.resolve_course_review(
            store, world.therapist_a, review.id, "continue", " "
        )
    done = services.resolve_course_review(
        store, world.therapist_a, review.id, "continue", "Flare after a long drive."
    )
    assert not done.open and done.resolution is Resolution.CONTINUE
    assert sign(store, world, kb, plan, 1, 4).review_id is None
    with pytest.raises(ConflictError, match="already resolved"):
        services.resolve_course_review(
            store, world.therapist_a, review.id, "continue", "x"
        )


def test_re_screening_resolves_only_with_a_newer_decision(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    worsen(store, world, plan)
    [review] = services.course_reviews(store, world.therapist_a, plan.patient_id)
    with pytest.raises(ConflictError, match="no screening decision since"):
        services.resolve_course_review(
            store, world.therapist_a, review.id, "rescreened", ""
        )
    current = services.latest_assessments(store, world.therapist_a, plan.patient_id)
    rescreen = services.screen_assessment(store, world.therapist_a, current[0].id, kb)
    assert rescreen.decision.verdict.value == "proceed"  # clearance holds
    done = services.resolve_course_review(
        store, world.therapist_a, review.id, "rescreened", ""
    )
    assert done.resolution is Resolution.RESCREENED


def test_pre_session_pain_rising_three_sessions_in_a_row_asks_for_a_review(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    for n, pain in ((1, 2), (2, 3), (3, 4)):
        assert sign(store, world, kb, plan, n, pain).review_id is None
    raised = sign(store, world, kb, plan, 4, 5)
    assert raised.review_id is not None
    [review] = services.course_reviews(store, world.therapist_a, plan.patient_id)
    assert "rose three sessions in a row (2, 3, 4, 5" in review.reasons[0]
    [russian] = services.course_reviews(store, world.therapist_a, plan.patient_id, "ru")
    assert "три сеанса подряд (2, 3, 4, 5, сеансы 1–4)" in russian.reasons[0]  # noqa: RUF001
    with pytest.raises(ConflictError, match="review before the next session"):
        sign(store, world, kb, plan, 5, 5)


def test_a_review_never_lifts_a_stop_rule_in_force(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    stopped = session_data(plan, red_flags={"saddle_anaesthesia": True})
    services.record_session(store, world.therapist_a, plan.patient_id, stopped, kb)
    worsen(store, world, plan)
    [review] = services.course_reviews(store, world.therapist_a, plan.patient_id)
    services.resolve_course_review(
        store, world.therapist_a, review.id, "continue", "ok"
    )
    with pytest.raises(ConflictError, match="suspended"):
        sign(store, world, kb, plan, 2, 3)


def test_an_improvement_or_another_clinic_raises_nothing(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    for day, value in ((START.isoformat(), 3), ("2026-12-01", 1)):
        services.record_response(
            store, world.therapist_a, plan.patient_id, odi(day, value)
        )
    assert services.course_reviews(store, world.therapist_a, plan.patient_id) == []
    with pytest.raises(NotFoundError):
        services.course_reviews(store, world.therapist_b, plan.patient_id)
