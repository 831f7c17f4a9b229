"""``spinewise course end PLAN``: end a course before its last planned session.

``--ending completed_early|discontinued`` and ``--reason CODE`` are codes (never
translated); ``--note`` is optional, except with ``--reason other``. The remaining
sessions and unanswered questionnaires are cancelled, but the discharge questionnaire.
"""

from __future__ import annotations

import datetime as dt

import typer

from spinewise.cli.ids import JsonFlag, record_id
from spinewise.cli.output import report
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, ngettext
from spinewise.services import CourseEnded, CourseEnding, EndReason, end_course

course_app = typer.Typer(
    help="A course: end it early (completed early or discontinued).",
    no_args_is_help=True,
)


def describe_ending(ended: CourseEnded) -> str:
    """One line saying what ending the course did, in the run's language."""
    head = _("plan {plan}: course ended ({ending}, {reason})").format(
        plan=ended.plan_id, ending=ended.ending.value, reason=ended.reason.value
    )
    sessions = ngettext(
        "{count} planned session cancelled",
        "{count} planned sessions cancelled",
        len(ended.cancelled_sessions),
    ).format(count=len(ended.cancelled_sessions))
    due = ngettext(
        "{count} questionnaire cancelled",
        "{count} questionnaires cancelled",
        len(ended.cancelled_due),
    ).format(count=len(ended.cancelled_due))
    parts = [head, sessions, due]
    if ended.discharge_due:
        parts.append(_("the discharge questionnaire stays due"))
    return "; ".join(parts)


@course_app.command("end")
def end_command(
    plan_id: int = typer.Argument(..., help="plan id", parser=record_id),
    ending: CourseEnding = typer.Option(..., "--ending", help="how the course ends"),
    reason: EndReason = typer.Option(..., "--reason", help="why (a code)"),
    note: str | None = typer.Option(None, "--note", help="a note (needed for other)"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """End an active or suspended course: completed early or discontinued (a
    suspended one only discontinued). Remaining sessions and unanswered
    questionnaires are cancelled, but the discharge questionnaire."""
    data = {"ending": ending.value, "reason": reason.value, "note": note}
    with signed_in(user) as session:
        ended = end_course(session.store, session.actor, plan_id, data, dt.date.today())
    report(as_json, ended.model_dump(mode="json"), describe_ending(ended))


def register(app: typer.Typer) -> None:
    app.add_typer(course_app, name="course")
