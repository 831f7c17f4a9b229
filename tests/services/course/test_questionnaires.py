"""Questionnaires through the services: paper responses, single-use expiring links for
one patient and one questionnaire, outcomes over time with the chart (both databases)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import text
from tests.pg import World
from tests.services.builders import assessed_patient
from tests.text_packs import import_fake_texts

from spinewise import services
from spinewise.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
    SpinewiseError,
)
from spinewise.kb import KnowledgeBase
from spinewise.models.outcome import ChangeClass, Instrument
from spinewise.services.course.questionnaires import LINK_SALT
from spinewise.store import AuditQuery, Store, utc_now

SECRET = "a test secret that is long enough to sign links"


def patient(store: Store, world: World, kb: KnowledgeBase, suffix: str = "a") -> int:
    therapist = world.actors[f"therapist_{suffix}"]
    import_fake_texts(store, world.actors[f"admin_{suffix}"], ("odi",))
    return assessed_patient(
        store, therapist, kb, record_number=f"Q-{suffix}"
    ).assessment.patient_id


def odi(day: str, value: int) -> dict[str, object]:
    return {"instrument": "odi", "answered_on": day, "answers": [value] * 10}


def link(
    store: Store, world: World, patient_id: int, **kw: object
) -> services.QuestionnaireLink:
    return services.create_questionnaire_link(
        store, world.therapist_a, patient_id, "odi", secret=SECRET, valid_days=14, **kw
    )


def test_a_paper_questionnaire_is_scored_stored_and_audited(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    stored = services.record_response(
        store, world.physician_a, patient_id, odi("2026-11-24", 2)
    )
    assert stored.score.score == Decimal("40.0") and not stored.via_link
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, entity="questionnaire_response")
        )
    assert [(e.username, e.action) for e in events] == [("physician-a", "create")]


def test_answers_out_of_range_name_the_item(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    answers = [1, 2, 3, 9, 1, 1, 1, 1, 1, 1]
    with pytest.raises(InputError) as caught:
        services.record_response(
            store,
            world.therapist_a,
            patient_id,
            {"instrument": "odi", "answered_on": "2026-11-24", "answers": answers},
            file="odi.yaml",
        )
    assert [p.field for p in caught.value.problems] == ["answers[3]"]


def test_a_link_answers_one_questionnaire_for_one_patient_once(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    issued = link(store, world, patient_id)
    view = services.open_questionnaire_link(store, issued.token, secret=SECRET)
    assert (view.instrument, view.item_count) == (Instrument.ODI, 10)
    answered = services.answer_questionnaire_link(
        store, issued.token, [1] * 10, secret=SECRET
    )
    assert (answered.patient_id, answered.instrument) == (patient_id, Instrument.ODI)
    assert answered.via_link and answered.score.score == Decimal("20.0")
    with pytest.raises(ConflictError, match="already used"):
        services.answer_questionnaire_link(store, issued.token, [0] * 10, secret=SECRET)
    with pytest.raises(ConflictError, match="already used"):
        services.open_questionnaire_link(store, issued.token, secret=SECRET)
    with store.unit_of_work() as uow:
        events = uow.audit.query(
            AuditQuery(clinic_id=world.clinic_a, patient_id=patient_id)
        )
    patient_events = [
        (e.role, e.action, e.entity) for e in reversed(events) if e.role == "patient"
    ]
    assert patient_events == [
        ("patient", "read", "questionnaire_link"),
        ("patient", "create", "questionnaire_response"),
        ("patient", "denied", "questionnaire_link"),  # the second is only counted
    ]


def test_an_expired_link_is_refused(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    issued = link(store, world, patient_id, now=utc_now() - dt.timedelta(days=15))
    with pytest.raises(ConflictError, match="expired"):
        services.answer_questionnaire_link(store, issued.token, [1] * 10, secret=SECRET)
    fresh = link(store, world, patient_id)
    with pytest.raises(ConflictError, match="expired"):
        services.open_questionnaire_link(
            store, fresh.token, secret=SECRET, now=fresh.expires_at
        )
    assert services.list_outcomes(store, world.therapist_a, patient_id).series == []


@pytest.mark.parametrize("tamper", ["other secret", "edited token", "unknown token"])
def test_a_tampered_or_unknown_token_is_not_found(
    store: Store, world: World, kb: KnowledgeBase, tamper: str
) -> None:
    issued = link(store, world, patient(store, world, kb))
    token, secret = issued.token, SECRET
    if tamper == "other secret":
        secret = "another server's secret, also long enough"
    elif tamper == "edited token":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        token = URLSafeTimedSerializer(SECRET, salt=LINK_SALT).dumps({"n": "never"})
    with pytest.raises(NotFoundError):
        services.answer_questionnaire_link(store, token, [1] * 10, secret=secret)


def test_a_link_needs_a_clinician_of_the_patients_clinic(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    with pytest.raises(NotFoundError):
        services.create_questionnaire_link(
            store, world.therapist_b, patient_id, "odi", secret=SECRET, valid_days=14
        )
    with pytest.raises(PermissionDeniedError):
        services.create_questionnaire_link(
            store, world.admin_a, patient_id, "odi", secret=SECRET, valid_days=14
        )
    with pytest.raises(InputError, match="instrument"):
        services.create_questionnaire_link(
            store, world.therapist_a, patient_id, "sf36", secret=SECRET, valid_days=14
        )


def test_outcomes_show_scores_changes_and_the_chart(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    for day, value in (("2026-10-13", 2), ("2026-10-27", 2), ("2026-11-10", 1)):
        services.record_response(store, world.therapist_a, patient_id, odi(day, value))
    services.record_response(
        store,
        world.therapist_a,
        patient_id,
        {"instrument": "startback", "answered_on": "2026-10-13", "answers": [1] * 9},
    )
    report = services.list_outcomes(store, world.physician_a, patient_id)
    odi_series, startback = report.series
    assert odi_series.instrument is Instrument.ODI
    assert [c.classification for c in odi_series.changes] == [
        ChangeClass.UNCHANGED,
        ChangeClass.IMPROVED,
    ]
    assert odi_series.latest is not None and odi_series.latest.clinically_important
    assert odi_series.chart_svg is not None
    ElementTree.fromstring(odi_series.chart_svg)
    assert startback.chart_svg is None and startback.note is not None
    assert startback.responses[0].score.risk is not None
    with pytest.raises(NotFoundError):
        services.list_outcomes(store, world.physician_b, patient_id)


def test_the_database_keeps_responses_and_used_links_as_they_are(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    issued = link(store, world, patient_id)
    services.answer_questionnaire_link(store, issued.token, [1] * 10, secret=SECRET)
    for statement in (
        "UPDATE questionnaire_responses SET answers = '[]'",
        "UPDATE questionnaire_links SET used_at = NULL",
    ):
        with pytest.raises(SpinewiseError):
            with store.unit_of_work(write=True) as uow:
                uow.session.execute(text(statement))


def test_a_recent_start_back_fills_the_re_assessments_group_with_its_date(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient_id = patient(store, world, kb)
    today = dt.date(2026, 12, 4)
    assert (
        services.recent_start_back(store, world.therapist_a, patient_id, today) is None
    )
    for day, answers in (("2026-08-01", [0] * 9), ("2026-11-20", [1] * 9)):
        services.record_response(
            store,
            world.therapist_a,
            patient_id,
            {"instrument": "startback", "answered_on": day, "answers": answers},
        )
    recent = services.recent_start_back(store, world.therapist_a, patient_id, today)
    assert recent is not None
    assert (recent.group.value, recent.answered_on) == ("high", dt.date(2026, 11, 20))
    later = dt.date(2027, 3, 1)  # more than 90 days after the last one
    assert (
        services.recent_start_back(store, world.therapist_a, patient_id, later) is None
    )
