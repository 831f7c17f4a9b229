"""What awaits action for a patient: one state machine, one "next step" per role.

``stage_of`` reads the patient's status (``services.web_views.PatientStatus``: the
current assessment's latest decision, the clearance in force, the newest plan, the
open re-screen flags) and returns the stage of care:

    intake -> (refer | answer | wait | rescreen due | no massage)
           -> clearance (request | pending) -> plan -> session ... -> stopped
           -> (re-screen) -> plan again -> session -> end re-screen -> discharge

An open re-screen flag comes first (a stop outranks an old "proceed"); once a newer
assessment has been screened the flag is closed and the verdict leads again, so the
stop -> re-screen -> next session path never loops. ``next_step`` turns the stage into
words for the signed-in role; the services still refuse what the role may not do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from spinewise.i18n import Translator, format_date
from spinewise.models import ClearanceStatus, Verdict
from spinewise.services import PatientStatus
from spinewise.web.presentation import VERDICTS


class Stage(StrEnum):
    INTAKE = "intake"
    STOPPED = "stopped"
    REFER = "refer"
    ANSWER = "answer"
    WAIT = "wait"
    RESCREEN_DUE = "rescreen_due"
    NO_MASSAGE = "no_massage"
    REQUEST_CLEARANCE = "request_clearance"
    CLEARANCE_PENDING = "clearance_pending"
    PLAN = "plan"
    SESSION = "session"
    END_RESCREEN = "end_rescreen"
    DISCHARGE = "discharge"


@dataclass(frozen=True)
class NextStep:
    """A call to action: what to do next, why, and where to do it."""

    title: str
    detail: str
    href: str
    action: str
    tone: str
    icon: str


def _course_done(status: PatientStatus) -> bool:
    plan = status.plan
    return plan is not None and (
        plan.status == "completed"
        or (plan.status == "active" and plan.next_session is None)
    )


def _after_verdict(status: PatientStatus) -> Stage:
    """The stage once the verdict allows massage (awaiting clearance or proceed)."""
    plan = status.plan
    if _course_done(status) and plan is not None:
        return (
            Stage.END_RESCREEN
            if plan.decision_id == status.decision_id
            else Stage.DISCHARGE
        )
    if status.verdict is Verdict.AWAITING_CLEARANCE:
        clearance = status.clearance
        pending = clearance is not None and clearance.status is ClearanceStatus.PENDING
        return Stage.CLEARANCE_PENDING if pending else Stage.REQUEST_CLEARANCE
    current = (
        plan is not None
        and plan.decision_id == status.decision_id
        and plan.status == "active"
    )
    return Stage.SESSION if current else Stage.PLAN


_BY_VERDICT = {
    Verdict.URGENT_REFERRAL: Stage.REFER,
    Verdict.INCOMPLETE: Stage.ANSWER,
    Verdict.NOT_SUITABLE: Stage.NO_MASSAGE,
    Verdict.DECLINED_BY_PHYSICIAN: Stage.NO_MASSAGE,
}


def stage_of(status: PatientStatus, today: dt.date) -> Stage:
    """The patient's stage of care on ``today`` (pure: the table test drives it)."""
    if status.assessment_id is None or status.verdict is None:
        return Stage.INTAKE
    if status.open_flags:
        return Stage.STOPPED
    verdict = status.verdict
    if verdict in _BY_VERDICT:
        return _BY_VERDICT[verdict]
    if verdict is Verdict.NOT_NOW:
        day = status.rescreen_on
        return Stage.WAIT if day is not None and today < day else Stage.RESCREEN_DUE
    return _after_verdict(status)


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


def _stopped(status: PatientStatus, urls: dict[str, str], tr: Translator) -> NextStep:
    plan = status.plan
    why = plan.suspended_reason if plan and plan.suspended_reason else ""
    stopped = tr.gettext("A session stopped the course plan")
    return NextStep(
        tr.gettext("Re-screen the patient"),
        f"{stopped}{': ' + why if why else ''}. "
        + tr.gettext("Submit a new assessment before the next session."),
        urls["new"], tr.gettext("Start a new assessment"), "danger", "stop",
    )  # fmt: skip


def _clearance(
    status: PatientStatus, role: str, urls: dict[str, str], tr: Translator
) -> NextStep:
    clearance = status.clearance
    if clearance is None or clearance.status is not ClearanceStatus.PENDING:
        return NextStep(
            tr.gettext("Request the physician's clearance"),
            tr.gettext(
                "Massage may be possible; a physician's valid approval is needed first."
            ),
            urls["clearance"], tr.gettext("Request clearance"), "info", "clock",
        )  # fmt: skip
    asked = format_date(clearance.requested_at.date(), tr.language, "medium")
    why = f" {clearance.request_note}" if clearance.request_note else ""
    if role == "physician":
        return NextStep(
            tr.gettext("Decide the clearance"),
            tr.gettext("Requested on %(day)s: approve, restrict or decline massage.")
            % {"day": asked} + why,
            urls["clearance"], tr.gettext("Decide the clearance"), "info", "clock",
        )  # fmt: skip
    return NextStep(
        tr.gettext("Waiting for the physician's clearance"),
        tr.gettext(
            "Requested on %(day)s. The course can be planned once a physician approves."
        ) % {"day": asked} + why,
        urls["clearance"], tr.gettext("See the request"), "info", "clock",
    )  # fmt: skip


def _plan(status: PatientStatus, tr: Translator) -> NextStep:
    plan = status.plan
    again = plan is not None and plan.status == "suspended"
    detail = (
        tr.gettext(
            "The re-screen after the stop is cleared: issue the plan again to go on."
        )
        if again
        else tr.gettext(
            "Cleared by the physician: plan the course with the usable modalities."
        )
    )
    return NextStep(
        tr.gettext("Issue the course plan"), detail, _urls(status)["plan"],
        tr.gettext("Plan the course"), "ok", "check",
    )  # fmt: skip


def _session(
    status: PatientStatus, role: str, urls: dict[str, str], tr: Translator
) -> NextStep:
    plan = status.plan
    assert plan is not None
    upcoming, done = plan.next_session, len(plan.sessions_recorded)
    recorded = tr.ngettext(
        "%(done)s of %(num)d session recorded.",
        "%(done)s of %(num)d sessions recorded.",
        plan.sessions_planned,
    ) % {"done": done, "num": plan.sessions_planned}
    if role != "therapist":
        return NextStep(
            tr.gettext("Course under way"),
            recorded + " " + tr.gettext("The therapist records the sessions."),
            urls["plan"], tr.gettext("See the course plan"), "ok", "check",
        )  # fmt: skip
    record = tr.gettext("Record session %(number)s") % {"number": upcoming}
    return NextStep(
        record,
        recorded + " " + tr.gettext("Check the stop rules at every session."),
        urls["session"], record, "ok", "check",
    )  # fmt: skip


def _simple(
    stage: Stage, status: PatientStatus, urls: dict[str, str], tr: Translator
) -> NextStep:
    look = VERDICTS[status.verdict or Verdict.INCOMPLETE]
    count = status.missing
    day = (
        format_date(status.rescreen_on, tr.language, "medium")
        if status.rescreen_on
        else ""
    )
    table = {
        Stage.INTAKE: (
            tr.gettext("Submit the intake"),
            tr.gettext("No assessment yet: screen the patient before anything else."),
            urls["new"], tr.gettext("Start the intake"), "info", "info",
        ),
        Stage.REFER: (
            tr.gettext("Refer the patient now"),
            tr.gettext("A red flag was found: no massage. Refer the patient today."),
            urls["decision"], tr.gettext("Open the referral"), "danger", "stop",
        ),
        Stage.ANSWER: (
            tr.gettext("Answer the missing questions"),
            tr.ngettext(
                "%(num)d answer is missing; the decision waits for it.",
                "%(num)d answers are missing; the decision waits for them.",
                count,
            ) % {"num": count},
            urls["amend"], tr.gettext("Answer them"), "warning", "question",
        ),
        Stage.WAIT: (
            tr.gettext("Screen again on or after %(day)s") % {"day": day},
            tr.gettext("Massage is deferred for a temporary reason."),
            urls["decision"], tr.gettext("See the decision"), "warning", "pause",
        ),
        Stage.RESCREEN_DUE: (
            tr.gettext("Screen again"),
            tr.gettext("The temporary reason for deferring may have passed: assess the "
              "patient anew."),
            urls["new"], tr.gettext("Start a new assessment"), "warning", "pause",
        ),
        Stage.NO_MASSAGE: (
            tr.gettext("No massage"), tr.gettext(look.note), urls["decision"], tr.gettext("See the decision"),
            look.tone, look.icon,
        ),
        Stage.END_RESCREEN: (
            tr.gettext("Assess at the end of the course"),
            tr.gettext("Every planned session is recorded: assess the patient again and ask "
              "for the outcome questionnaires."),
            urls["new"], tr.gettext("Start the end-of-course assessment"), "ok", "check",
        ),
        Stage.DISCHARGE: (
            tr.gettext("Discharge the patient"),
            tr.gettext("The course is complete and the patient was assessed again: look at "
              "the outcomes, then discharge, or plan another course if needed."),
            urls["outcomes"], tr.gettext("See the outcomes"), "ok", "check",
        ),
    }  # fmt: skip
    return NextStep(*table[stage])


def next_step(
    status: PatientStatus, role: str, today: dt.date, language: str = "en"
) -> NextStep:
    """The one thing to do next for this patient, as ``role`` sees it, in
    ``language`` (the page's)."""
    urls = _urls(status)
    tr = Translator(language)
    stage = stage_of(status, today)
    if stage is Stage.STOPPED:
        return _stopped(status, urls, tr)
    if stage in (Stage.REQUEST_CLEARANCE, Stage.CLEARANCE_PENDING):
        return _clearance(status, role, urls, tr)
    if stage is Stage.PLAN:
        return _plan(status, tr)
    if stage is Stage.SESSION:
        return _session(status, role, urls, tr)
    return _simple(stage, status, urls, tr)
