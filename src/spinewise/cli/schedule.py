"""``spinewise schedule ...``: a plan's planned dates, moving a session, its therapist."""

from __future__ import annotations

import datetime as dt

import typer

from spinewise.cli.ids import JsonFlag, record_id
from spinewise.cli.output import json_rows, print_json, print_table, report
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, day
from spinewise.services import assign_therapist, planned_dates, reschedule_session

schedule_app = typer.Typer(
    help="A plan's schedule: show it, move a session, assign the therapist.",
    no_args_is_help=True,
)


@schedule_app.command("show")
def show_command(
    plan_id: int = typer.Argument(..., help="plan id", parser=record_id),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Every session of the plan with its date now (moved ones marked)."""
    with signed_in(user) as session:
        dates = planned_dates(session.store, session.actor, plan_id)
    if as_json:
        print_json(json_rows(dates))
        return
    rows = [
        (str(d.session_number), day(d.date), d.time or "—",
         _("yes") if d.moved else "")
        for d in dates
    ]  # fmt: skip
    print_table((_("session"), _("date"), _("time"), _("moved")), rows)


@schedule_app.command("move")
def move_command(
    plan_id: int = typer.Argument(..., help="plan id", parser=record_id),
    session_number: int = typer.Argument(..., help="session number", parser=record_id),
    date: str = typer.Option(..., "--date", help="the new date, YYYY-MM-DD"),
    reason: str = typer.Option(..., "--reason", help="why it moves"),
    time: str | None = typer.Option(None, "--time", help="HH:MM (optional)"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Move a planned session (refused in the past, past the clearance or inside the
    plan's minimum interval)."""
    data = {"date": date, "time": time, "reason": reason}
    with signed_in(user) as session:
        moved = reschedule_session(
            session.store, session.actor, plan_id, session_number, data,
            dt.date.today(),
        )  # fmt: skip
    if moved.time:
        text = _("session {number}: {date} at {time}")
    else:
        text = _("session {number}: {date}")
    shown = text.format(number=session_number, date=moved.date, time=moved.time)
    report(as_json, moved.model_dump(mode="json"), shown)


@schedule_app.command("assign")
def assign_command(
    plan_id: int = typer.Argument(..., help="plan id", parser=record_id),
    therapist_id: int = typer.Argument(..., help="user id", parser=record_id),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Give the plan to a therapist of your clinic."""
    with signed_in(user) as session:
        assign_therapist(session.store, session.actor, plan_id, therapist_id)
    text = _("plan {plan}: therapist {therapist}")
    document = {"plan_id": plan_id, "therapist_id": therapist_id}
    report(as_json, document, text.format(plan=plan_id, therapist=therapist_id))


def register(app: typer.Typer) -> None:
    app.add_typer(schedule_app, name="schedule")
