"""``spinewise clearance request | record | pending | show``: physician clearance."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from spinewise.cli.ids import JsonFlag, Patient
from spinewise.cli.output import console, fail, print_json
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, day, moment, ngettext
from spinewise.models import Modality
from spinewise.services import (
    ClearanceRecord,
    awaiting_physician,
    clearance_history,
    record_clearance,
    request_clearance,
)

clearance_app = typer.Typer(
    help="Physician clearance: request, decide, see what awaits.", no_args_is_help=True
)


def describe_clearance(c: ClearanceRecord) -> str:
    """One line about a clearance, for the terminal."""
    if c.status.value == "pending":
        return _(
            "clearance {id}: requested for assessment {assessment}, pending "
            "since {since} UTC"
        ).format(
            id=c.id,
            assessment=c.assessment_id,
            since=moment(c.requested_at),
        )
    until = day(c.valid_until) if c.valid_until else _("next assessment")
    excluded = ", ".join(c.excluded_modalities) or _("none")
    reason = f" — {c.reason}" if c.reason else ""
    expired = _(" (expired)") if c.is_expired(dt.date.today()) else ""
    described = _(
        "clearance {id}: {status} by {physician} for assessment {assessment}, "
        "valid {start} to {until}; excluded: {excluded}"
    ).format(
        id=c.id,
        status=c.status.value,
        physician=c.physician_name,
        assessment=c.assessment_id,
        start=day(c.valid_from) if c.valid_from else "—",
        until=until,
        excluded=excluded,
    )
    return f"{described}{expired}{reason}"


def _json(record: ClearanceRecord) -> object:
    return record.model_dump(mode="json")


@clearance_app.command("request")
def request_command(
    patient_id: Patient,
    note: str | None = typer.Option(
        None, "--note", help="what the physician should know"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Ask a physician to clear the patient's current assessment."""
    with signed_in(user) as session:
        record = request_clearance(session.store, session.actor, patient_id, note=note)
    if as_json:
        print_json(_json(record))
        return
    console.print(describe_clearance(record), markup=False, soft_wrap=True)


@clearance_app.command("record")
def record_command(
    patient_id: Patient,
    approve: bool = typer.Option(False, "--approve"),
    decline: bool = typer.Option(False, "--decline"),
    exclude: list[Modality] = typer.Option([], "--exclude", help="modality to exclude"),
    only: list[Modality] = typer.Option([], "--only", help="allow only this modality"),
    valid_until: dt.datetime | None = typer.Option(
        None, "--valid-until", formats=["%Y-%m-%d"], help="last day of validity"
    ),
    reason: str | None = typer.Option(
        None, "--reason", help="required to decline/restrict"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Record your decision (physicians): approve or decline, restrict, limit in time."""
    if approve == decline:
        fail(_("give exactly one of --approve or --decline"))
    if exclude and only:
        fail(_("give --exclude or --only, not both"))
    excluded = [m for m in Modality if m not in only] if only else list(exclude)
    decision = {
        "status": "approved" if approve else "declined",
        "valid_until": valid_until.date() if valid_until else None,
        "excluded_modalities": excluded,
        "reason": reason,
    }
    with signed_in(user) as session:
        outcome = record_clearance(
            session.store, session.actor, patient_id, decision, session.kb()
        )
    if as_json:
        print_json(outcome.model_dump(mode="json"))
        return
    console.print(describe_clearance(outcome.clearance), markup=False, soft_wrap=True)
    verdict = outcome.screening.decision.verdict.value
    says = _("re-screened: decision {id}: {verdict}")
    console.print(says.format(id=outcome.screening.id, verdict=verdict), markup=False)


@clearance_app.command("pending")
def pending_command(
    as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """What awaits a physician: pending requests on current assessments."""
    with signed_in(user) as session:
        waiting = awaiting_physician(session.store, session.actor)
    if as_json:
        print_json([item.model_dump(mode="json") for item in waiting])
        return
    table = Table(
        _("patient"),
        _("record"),
        _("name"),
        _("assessment"),
        _("verdict"),
        _("requested"),
    )
    for item in waiting:
        table.add_row(
            str(item.patient.id),
            item.patient.record_number,
            item.patient.name,
            str(item.assessment.id),
            item.verdict.value if item.verdict else "—",
            moment(item.clearance.requested_at),
        )
    console.print(table)
    awaiting = ngettext(
        "{count} awaiting a physician", "{count} awaiting a physician", len(waiting)
    )
    console.print(awaiting.format(count=len(waiting)))


@clearance_app.command("show")
def show_command(
    patient_id: Patient,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Every clearance request and decision of a patient, newest first."""
    with signed_in(user) as session:
        history = clearance_history(session.store, session.actor, patient_id)
    if as_json:
        print_json([_json(record) for record in history])
        return
    for record in history:
        console.print(describe_clearance(record), markup=False, soft_wrap=True)
    if not history:
        console.print(_("no clearance requested or recorded"))


def register(app: typer.Typer) -> None:
    app.add_typer(clearance_app, name="clearance")
