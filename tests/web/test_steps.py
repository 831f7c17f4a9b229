"""The next-step state machine: every stage from a table, every transition of a
course (stop rule -> re-screen -> next session included), and its words per role."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from spinewise.models import ClearanceStatus, Modality, Verdict
from spinewise.services import ClearanceRecord, PatientRecord, PatientStatus, PlanState
from spinewise.web.pages.steps import Stage, next_step, stage_of

TODAY = dt.date(2026, 12, 10)
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
PATIENT = PatientRecord(
    id=7, clinic_id=1, record_number="P-7", name="Ann Lee", birth_date=None,
    created_at=NOW,
)  # fmt: skip


def clearance(status: str, note: str | None = None) -> ClearanceRecord:
    return ClearanceRecord(
        id=1, patient_id=7, assessment_id=1, status=ClearanceStatus(status),
        requested_by=1, requested_at=NOW, request_note=note, physician_id=None,
        physician_name=None, decided_at=None, valid_from=None, valid_until=None,
        excluded_modalities=[Modality.VACUUM][:0], reason=None,
    )  # fmt: skip


def plan(
    status: str = "active", decision: int = 1, recorded: int = 0, planned: int = 10
) -> PlanState:
    return PlanState(
        id=1, status=status, decision_id=decision, start_date=TODAY,
        sessions_planned=planned, sessions_recorded=list(range(1, recorded + 1)),
        suspended_reason="pain rose by 3" if status == "suspended" else None,
    )  # fmt: skip


def patient(verdict: Verdict | None = Verdict.PROCEED, **fields: Any) -> PatientStatus:
    base: dict[str, Any] = {"patient": PATIENT}
    if verdict is not None:
        base |= {
            "assessment_id": 1, "assessment_number": 1, "assessed_on": TODAY,
            "decision_id": 1, "verdict": verdict,
        }  # fmt: skip
    return PatientStatus(**(base | fields))


TABLE = [
    ("no assessment", patient(None), Stage.INTAKE),
    ("red flag", patient(Verdict.URGENT_REFERRAL), Stage.REFER),
    ("missing answers", patient(Verdict.INCOMPLETE, missing=2), Stage.ANSWER),
    (
        "not now, too early",
        patient(Verdict.NOT_NOW, rescreen_after_days=7),
        Stage.WAIT,
    ),
    (
        "not now, day reached",
        patient(Verdict.NOT_NOW, rescreen_after_days=0),
        Stage.RESCREEN_DUE,
    ),
    ("not suitable", patient(Verdict.NOT_SUITABLE), Stage.NO_MASSAGE),
    ("declined", patient(Verdict.DECLINED_BY_PHYSICIAN), Stage.NO_MASSAGE),
    (
        "awaiting, none asked",
        patient(Verdict.AWAITING_CLEARANCE),
        Stage.REQUEST_CLEARANCE,
    ),
    (
        "awaiting, asked",
        patient(Verdict.AWAITING_CLEARANCE, clearance=clearance("pending")),
        Stage.CLEARANCE_PENDING,
    ),
    ("cleared, no plan", patient(), Stage.PLAN),
    ("plan under way", patient(plan=plan(recorded=2)), Stage.SESSION),
    (
        "stopped by a session",
        patient(plan=plan("suspended", recorded=3), open_flags=1),
        Stage.STOPPED,
    ),
    (
        "re-screened after the stop, awaiting",
        patient(
            Verdict.AWAITING_CLEARANCE,
            decision_id=2,
            plan=plan("suspended", recorded=3),
        ),
        Stage.REQUEST_CLEARANCE,
    ),
    (
        "re-screened after the stop, cleared",
        patient(decision_id=2, plan=plan("suspended", recorded=3)),
        Stage.PLAN,
    ),
    (
        "plan issued again after the stop",
        patient(decision_id=2, plan=plan(decision=2, recorded=0)),
        Stage.SESSION,
    ),
    (
        "red flag outranks a plan",
        patient(Verdict.URGENT_REFERRAL, plan=plan(recorded=2)),
        Stage.REFER,
    ),
    ("every session recorded", patient(plan=plan(recorded=10)), Stage.END_RESCREEN),
    (
        "course completed",
        patient(plan=plan("completed", recorded=10)),
        Stage.END_RESCREEN,
    ),
    (
        "re-assessed after the course",
        patient(decision_id=2, plan=plan("completed", recorded=10)),
        Stage.DISCHARGE,
    ),
    (
        "re-assessed after the course, clearance not carried",
        patient(
            Verdict.AWAITING_CLEARANCE,
            decision_id=2,
            plan=plan("completed", recorded=10),
        ),
        Stage.DISCHARGE,
    ),
]


@pytest.mark.parametrize(
    ("status", "stage"), [row[1:] for row in TABLE], ids=[row[0] for row in TABLE]
)
def test_each_status_is_in_exactly_one_stage(
    status: PatientStatus, stage: Stage
) -> None:
    assert stage_of(status, TODAY) is stage


def test_every_stage_is_reached_by_the_table() -> None:
    assert {row[2] for row in TABLE} == set(Stage)


def test_stop_then_re_screen_then_the_next_session_never_loops() -> None:
    walk = [
        patient(plan=plan(recorded=2)),
        patient(plan=plan("suspended", recorded=3), open_flags=1),
        patient(Verdict.AWAITING_CLEARANCE, decision_id=2, plan=plan("suspended", recorded=3)),
        patient(
            Verdict.AWAITING_CLEARANCE, decision_id=2,
            plan=plan("suspended", recorded=3), clearance=clearance("pending"),
        ),
        patient(decision_id=2, plan=plan("suspended", recorded=3)),
        patient(decision_id=2, plan=plan(decision=2)),
    ]  # fmt: skip
    stages = [stage_of(s, TODAY) for s in walk]
    assert stages == [
        Stage.SESSION,
        Stage.STOPPED,
        Stage.REQUEST_CLEARANCE,
        Stage.CLEARANCE_PENDING,
        Stage.PLAN,
        Stage.SESSION,
    ]
    assert next_step(walk[-1], "therapist", TODAY).title == "Record session 1"


@pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ["therapist", "physician"])
def test_every_stage_has_words_and_a_link_for_every_clinician(
    row: tuple[str, PatientStatus, Stage], role: str
) -> None:
    step = next_step(row[1], role, TODAY)
    assert step.title and step.detail and step.action
    assert step.href.startswith("/patients/7")


def test_a_request_asked_again_shows_why_on_the_banner() -> None:
    note = "Clearance asked again: the answer \u201cFever\u201d is now unknown."
    status = patient(Verdict.AWAITING_CLEARANCE, clearance=clearance("pending", note))
    assert note in next_step(status, "physician", TODAY).detail


@pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
@pytest.mark.parametrize("role", ["therapist", "physician"])
def test_every_stage_speaks_russian_for_every_clinician(
    row: tuple[str, PatientStatus, Stage], role: str
) -> None:
    english = next_step(row[1], role, TODAY)
    russian = next_step(row[1], role, TODAY, "ru")
    for en, ru in zip(
        (english.title, english.detail, english.action),
        (russian.title, russian.detail, russian.action),
        strict=True,
    ):
        assert ru != en and re.search("[\u0430-\u044f]", ru, re.IGNORECASE), (en, ru)
