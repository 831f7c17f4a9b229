"""One assessment read only: every answer, what changed, and its decision.

Any clinician of the clinic may read it (a physician opens it from the clearance
request); nothing on the page changes anything. Answers are named by their question
and shown in words; an unanswered question reads "unknown", never "no".
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response

from spinewise.errors import N_, NotFoundError
from spinewise.screening import changed_answers
from spinewise.services import (
    AssessmentRecord,
    decisions_of_patient,
    get_assessment,
    get_patient,
    latest_assessments,
)
from spinewise.web.deps import PageActor, RecordId, StoreDep
from spinewise.web.draft import Draft, question_for
from spinewise.web.intake import Question, intake_sections
from spinewise.web.presentation import view_decision
from spinewise.web.rendering import page_kb, render

router = APIRouter()
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Answer:
    label: str
    text: str


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def answer_text(question: Question, values: tuple[str, ...]) -> str:
    """One answer in words: a choice by its label, a blank as "unknown"."""
    if not values or not any(v.strip() for v in values):
        return UNKNOWN
    words = dict(question.choices) if question.choices else {}
    if question.control == "tri":
        words = {"yes": "yes", "no": "no"}
    return ", ".join(words.get(v, v) for v in values)


def _answers(record: AssessmentRecord) -> list[tuple[str, list[Answer]]]:
    draft = Draft.from_contract(record.assessment.to_contract())
    return [
        (
            section.title,
            [
                Answer(q.label, answer_text(q, tuple(draft.values.get(q.path, ()))))
                for q in section.questions
            ],
        )
        for section in intake_sections()
        if section.key != "clearance"
    ]


def _previous(
    record: AssessmentRecord, history: list[AssessmentRecord]
) -> AssessmentRecord | None:
    older = [
        r for r in history if (r.number, r.version) < (record.number, record.version)
    ]
    return max(older, key=lambda r: (r.number, r.version), default=None)


def _changes(before: AssessmentRecord, after: AssessmentRecord) -> list[Change]:
    old = Draft.from_contract(before.assessment.to_contract()).values
    new = Draft.from_contract(after.assessment.to_contract()).values
    changes = []
    for change in changed_answers(before.assessment, after.assessment):
        question = question_for(change.path)
        if question is None:
            continue
        changes.append(
            Change(
                question.label,
                answer_text(question, tuple(old.get(question.path, ()))),
                answer_text(question, tuple(new.get(question.path, ()))),
            )
        )
    return changes


@router.get("/patients/{patient_id}/assessments/{assessment_id}")
def assessment_page(
    request: Request,
    patient_id: RecordId,
    assessment_id: RecordId,
    store: StoreDep,
    actor: PageActor,
) -> Response:
    record = get_assessment(store, actor, assessment_id)
    if record.patient_id != patient_id:
        raise NotFoundError(N_("assessment"), assessment_id)
    patient = get_patient(store, actor, patient_id)
    history = latest_assessments(store, actor, patient_id, limit=None)
    previous = _previous(record, history)
    decided = [
        d
        for d in decisions_of_patient(store, actor, patient_id, limit=50)
        if d.assessment_id == assessment_id
    ]
    context = {
        "patient": patient,
        "record": record,
        "previous": previous,
        "changes": _changes(previous, record) if previous else [],
        "answers": _answers(record),
        "decision": decided[0] if decided else None,
        "view": view_decision(decided[0].decision, *page_kb(request))
        if decided
        else None,
    }
    return render(request, "assessment.html", context)
