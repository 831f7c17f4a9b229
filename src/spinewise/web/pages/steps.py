"""What awaits action for a patient: one "next step" per patient, for the signed-in role.

Read from the patient's status (``services.web_views.PatientStatus``): the current
assessment's latest decision, the clearance in force, the newest plan and the open
re-screen flags. A stopped plan comes first (it outranks an old "proceed"), then the
verdict in the engine's precedence. The step is advice for the screen; the services
still refuse whatever the role may not do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spinewise.models import ClearanceStatus, Verdict
from spinewise.services import PatientStatus
from spinewise.web.presentation import VERDICTS


@dataclass(frozen=True)
class NextStep:
    """A call to action: what to do next, why, and where to do it."""

    title: str
    detail: str
    href: str
    action: str
    tone: str
    icon: str


def _urls(status: PatientStatus) -> dict[str, str]:
    base = f"/patients/{status.patient.id}"
    return {
        "base": base,
        "new": f"{base}/assessments/new",
        "amend": f"{base}/assessments/{status.assessment_id}/amend",
        "decision": f"{base}/decisions/{status.decision_id}",
        "clearance": f"{base}/clearance",
        "plan": f"{base}/plan",
        "session": f"{base}/sessions/new",
        "outcomes": f"{base}/outcomes",
    }


def _stopped(status: PatientStatus, urls: dict[str, str]) -> NextStep | None:
    plan = status.plan
    if not status.open_flags and not (plan and plan.status == "suspended"):
        return None
    why = plan.suspended_reason if plan and plan.suspended_reason else ""
    return NextStep(
        "Re-screen the patient",
        f"A session stopped the course plan{': ' + why if why else ''}. Submit a new "
        "assessment before the next session.",
        urls["new"], "Start a new assessment", "danger", "stop",
    )  # fmt: skip


def _awaiting(status: PatientStatus, role: str, urls: dict[str, str]) -> NextStep:
    clearance = status.clearance
    if clearance is not None and clearance.status is ClearanceStatus.PENDING:
        asked = clearance.requested_at.date().isoformat()
        if role == "physician":
            return NextStep(
                "Decide the clearance",
                f"Requested on {asked}: approve, restrict or decline massage.",
                urls["clearance"], "Decide the clearance", "info", "clock",
            )  # fmt: skip
        return NextStep(
            "Waiting for the physician's clearance",
            f"Requested on {asked}. The course can be planned once a physician "
            "approves.",
            urls["clearance"], "See the request", "info", "clock",
        )  # fmt: skip
    return NextStep(
        "Request the physician's clearance",
        "Massage may be possible; a physician's valid approval is needed first.",
        urls["clearance"], "Request clearance", "info", "clock",
    )  # fmt: skip


def _proceed(status: PatientStatus, role: str, urls: dict[str, str]) -> NextStep:
    plan = status.plan
    if (
        plan is None
        or plan.decision_id != status.decision_id
        or plan.status
        not in (
            "active",
            "completed",
        )
    ):
        return NextStep(
            "Issue the course plan",
            "Cleared by the physician: plan the course with the usable modalities.",
            urls["plan"], "Plan the course", "ok", "check",
        )  # fmt: skip
    upcoming = plan.next_session
    done = len(plan.sessions_recorded)
    if upcoming is None or plan.status == "completed":
        return NextStep(
            "Measure the outcome",
            "Every planned session is recorded: ask for the outcome questionnaire "
            "and look at the change.",
            urls["outcomes"], "Outcomes", "ok", "check",
        )  # fmt: skip
    if role != "therapist":
        return NextStep(
            "Course under way",
            f"{done} of {plan.sessions_planned} sessions recorded by the therapist.",
            urls["plan"], "See the course plan", "ok", "check",
        )  # fmt: skip
    return NextStep(
        f"Record session {upcoming}",
        f"{done} of {plan.sessions_planned} sessions recorded. Check the stop rules "
        "at every session.",
        urls["session"], f"Record session {upcoming}", "ok", "check",
    )  # fmt: skip


def _not_now(status: PatientStatus, today: dt.date, urls: dict[str, str]) -> NextStep:
    day = status.rescreen_on
    if day is not None and today < day:
        return NextStep(
            f"Screen again on or after {day.isoformat()}",
            "Massage is deferred for a temporary reason.",
            urls["decision"], "See the decision", "warning", "pause",
        )  # fmt: skip
    return NextStep(
        "Screen again",
        "The temporary reason for deferring may have passed: assess the patient anew.",
        urls["new"], "Start a new assessment", "warning", "pause",
    )  # fmt: skip


def next_step(status: PatientStatus, role: str, today: dt.date) -> NextStep:
    """The one thing to do next for this patient, as ``role`` sees it."""
    urls = _urls(status)
    if status.assessment_id is None or status.verdict is None:
        return NextStep(
            "Submit the intake",
            "No assessment yet: screen the patient before anything else.",
            urls["new"], "Start the intake", "info", "info",
        )  # fmt: skip
    stopped = _stopped(status, urls)
    if stopped is not None:
        return stopped
    verdict = status.verdict
    look = VERDICTS[verdict]
    if verdict is Verdict.URGENT_REFERRAL:
        return NextStep(
            "Refer the patient now",
            "A red flag was found: no massage. Refer the patient today.",
            urls["decision"], "Open the referral", "danger", "stop",
        )  # fmt: skip
    if verdict is Verdict.INCOMPLETE:
        count = status.missing
        return NextStep(
            "Answer the missing questions",
            f"{count} answer{'s are' if count != 1 else ' is'} missing; the decision "
            "waits for them.",
            urls["amend"], "Answer them", "warning", "question",
        )  # fmt: skip
    if verdict is Verdict.NOT_NOW:
        return _not_now(status, today, urls)
    if verdict is Verdict.AWAITING_CLEARANCE:
        return _awaiting(status, role, urls)
    if verdict is Verdict.PROCEED:
        return _proceed(status, role, urls)
    return NextStep(
        "No massage", look.note, urls["decision"], "See the decision", look.tone,
        look.icon,
    )  # fmt: skip
