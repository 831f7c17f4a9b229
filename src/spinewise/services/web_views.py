"""Read models for the web pages: each patient with where they stand, in one unit.

The patient list shows every patient's current verdict and what awaits action; the
patient page shows the same for one patient. Reading them one service call per fact
would be a dozen units of work per patient, so this module gathers the facts in one
unit of work. Every patient shown is a ``read`` audit event, as in ``list_patients``.
No rule is decided here: the facts are the store's, the verdict the stored decision's.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from spinewise.errors import N_, FieldProblem, InputError
from spinewise.models import Verdict
from spinewise.services.access.actors import CLINICIANS, Actor, require
from spinewise.services.audit import log_reads
from spinewise.services.clinic.screening import clearance_in_force
from spinewise.services.convert import patient_record
from spinewise.services.records import ClearanceRecord, PatientRecord
from spinewise.services.unit import patient_of, unit
from spinewise.store import (
    CoursePlans,
    PatientRow,
    QuestionnaireResponses,
    RescreenFlags,
    SessionNotes,
    Store,
    UnitOfWork,
)


class PlanState(BaseModel):
    """The patient's newest course plan and how far it has got."""

    model_config = ConfigDict(frozen=True)

    id: int
    status: str
    decision_id: int
    start_date: dt.date
    sessions_planned: int
    sessions_recorded: list[int]
    suspended_reason: str | None

    @property
    def next_session(self) -> int | None:
        """The lowest planned session number without a note (None: all recorded)."""
        done = set(self.sessions_recorded)
        return next(
            (n for n in range(1, self.sessions_planned + 1) if n not in done), None
        )


class PatientStatus(BaseModel):
    """One patient: the current assessment, its latest decision, clearance, plan."""

    model_config = ConfigDict(frozen=True)

    patient: PatientRecord
    assessment_id: int | None = None
    assessment_number: int | None = None
    assessment_version: int | None = None
    assessed_on: dt.date | None = None
    decision_id: int | None = None
    verdict: Verdict | None = None
    decided_at: dt.datetime | None = None
    rescreen_after_days: int | None = None
    missing: int = 0
    clearance: ClearanceRecord | None = None
    plan: PlanState | None = None
    open_flags: int = 0
    responses: int = 0

    @property
    def rescreen_on(self) -> dt.date | None:
        """The first day a temporary contraindication allows screening again."""
        if self.rescreen_after_days is None or self.assessed_on is None:
            return None
        return self.assessed_on + dt.timedelta(days=self.rescreen_after_days)


def _plan_state(uow: UnitOfWork, clinic_id: int, patient_id: int) -> PlanState | None:
    plans = CoursePlans(uow.session).of_patient(clinic_id, patient_id)
    if not plans:
        return None
    newest = plans[0]
    courses = newest.plan.get("courses", [])
    planned = max((len(c.get("sessions", [])) for c in courses), default=0)
    notes = SessionNotes(uow.session).of_patient(clinic_id, patient_id)
    recorded = sorted({n.session_number for n in notes if n.plan_id == newest.id})
    return PlanState(
        id=newest.id,
        status=newest.status,
        decision_id=newest.decision_id,
        start_date=newest.start_date,
        sessions_planned=planned,
        sessions_recorded=recorded,
        suspended_reason=newest.suspended_reason,
    )


def _status(uow: UnitOfWork, actor: Actor, row: PatientRow) -> PatientStatus:
    clinic = actor.clinic_id
    status = PatientStatus(
        patient=patient_record(row),
        plan=_plan_state(uow, clinic, row.id),
        open_flags=len(RescreenFlags(uow.session).open_for(clinic, row.id)),
        responses=len(QuestionnaireResponses(uow.session).of_patient(clinic, row.id)),
    )
    current = uow.assessments.current(clinic, row.id)
    if current is None:
        return status
    facts: dict[str, object] = {
        "assessment_id": current.id,
        "assessment_number": current.number,
        "assessment_version": current.version,
        "assessed_on": current.assessed_on,
        "clearance": clearance_in_force(uow, clinic, row.id, current.id),
    }
    decision = uow.decisions.latest_for(clinic, [current.id]).get(current.id)
    if decision is not None:
        output = decision.output
        facts |= {
            "decision_id": decision.id,
            "verdict": Verdict(decision.verdict),
            "decided_at": decision.created_at,
            "rescreen_after_days": output.get("rescreen_after_days"),
            "missing": len(output.get("missing") or []),
        }
    return status.model_copy(update=facts)


def patients_with_status(
    store: Store, actor: Actor, *, limit: int = 200, offset: int = 0
) -> list[PatientStatus]:
    """The clinic's patients (registration order), each with where they stand."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("list patients"))
        rows = uow.patients.of_clinic(actor.clinic_id, limit=limit, offset=offset)
        found = [_status(uow, actor, r) for r in rows]
        log_reads(
            uow, actor, "patient", [(r.id, r.id) for r in rows], detail={"view": "list"}
        )
        return found


def patient_status(store: Store, actor: Actor, patient_id: int) -> PatientStatus:
    """One patient of the actor's clinic with where they stand ("not found" else)."""
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("read patients"))
        row = patient_of(uow, actor, patient_id)
        found = _status(uow, actor, row)
        log_reads(uow, actor, "patient", [(row.id, row.id)], detail={"view": "status"})
        return found


MAX_QUERY = 200
SORTS = ("name", "record", "recent")


class PatientPage(BaseModel):
    """One page of a patient search: how many match, these, and where the next starts.

    ``next_after`` is the keyset (sort value, id) of the last patient shown when more
    follow (None on the last page); a caller passes it back as ``after``.
    """

    model_config = ConfigDict(frozen=True)

    total: int
    items: list[PatientStatus]
    next_after: tuple[str, int] | None = None


def _checked(query: str, sort: str) -> str:
    problems = []
    if len(query) > MAX_QUERY:
        problems.append(
            FieldProblem(
                "q",
                N_(
                    "{count} characters; allowed: at most {MAX_QUERY}",
                    count=len(query),
                    MAX_QUERY=MAX_QUERY,
                ),
            )
        )
    if sort not in SORTS:
        problems.append(
            FieldProblem(
                "sort",
                N_(
                    "{sort!r} is not a sort; allowed: {values}",
                    sort=sort,
                    values=", ".join(SORTS),
                ),
            )
        )
    if problems:
        raise InputError(problems)
    return query.strip()


def _keyset(row: PatientRow, sort: str) -> tuple[str, int]:
    value = {"name": row.search_key, "record": row.record_number}.get(sort, "")
    return (value, row.id)


def search_patients(
    store: Store,
    actor: Actor,
    query: str = "",
    *,
    sort: str = "name",
    limit: int = 50,
    after: tuple[str, int] | None = None,
    offset: int = 0,
) -> PatientPage:
    """The clinic's patients whose name, record number or birth date contains
    ``query`` (any case, any script), a page of them with where each stands."""
    query = _checked(query, sort)
    with unit(store, actor) as uow:
        require(actor, CLINICIANS, N_("list patients"))
        total = uow.patients.count(actor.clinic_id, query)
        rows = uow.patients.search(
            actor.clinic_id, query, sort=sort, limit=limit + 1, after=after,
            offset=offset,
        )  # fmt: skip
        more, rows = len(rows) > limit, rows[:limit]
        found = [_status(uow, actor, r) for r in rows]
        log_reads(
            uow, actor, "patient", [(r.id, r.id) for r in rows],
            detail={"view": "search"},
        )  # fmt: skip
        return PatientPage(
            total=total,
            items=found,
            next_after=_keyset(rows[-1], sort) if more and rows else None,
        )
