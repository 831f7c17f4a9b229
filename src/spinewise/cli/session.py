"""``spinewise session record | amend | list``: signed session notes and stop rules.

``record PATIENT --file SESSION.yaml`` signs the note of one planned session as the
acting therapist and applies the stop rules (docs/clinical-basis.md#stop-rules): when they
stop the plan, the command says so, with every reason, its rule id and source.
``amend NOTE --file SESSION.yaml --reason TEXT`` adds a new signed version; the
original stays.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table

from spinewise.cli.files import read_document
from spinewise.cli.ids import record_id
from spinewise.cli.output import console
from spinewise.cli.signin import signed_in, user_option
from spinewise.services import (
    SessionOutcome,
    amend_session,
    record_session,
    session_notes,
)

session_app = typer.Typer(
    help="Session notes: record, amend (new signed version), list.",
    no_args_is_help=True,
)


def describe_outcome(outcome: SessionOutcome) -> None:
    """The stored note and what the stop rules decided."""
    note, stop = outcome.note, outcome.note.stop
    console.print(
        f"session note {note.id}: plan {note.plan_id}, session {note.session_number}, "
        f"version {note.version}, signed by {note.signed_by_name or note.signed_by} "
        f"at {note.signed_at:%Y-%m-%d %H:%M} UTC",
        markup=False,
        soft_wrap=True,
    )
    if not stop.stop:
        console.print("stop rules: none held")
        return
    lines = []
    if stop.emergency_referral:
        lines.append("[bold]EMERGENCY REFERRAL: a cauda equina flag is present[/]")
    if stop.suspend_plan:
        lines.append(
            f"[bold]plan {outcome.plan.id} SUSPENDED: re-screen before the next session[/]"
        )
    if stop.medical_assessment:
        lines.append("medical assessment needed")
    if stop.suspended_modalities:
        names = ", ".join(m.value for m in stop.suspended_modalities)
        lines.append(f"suspended until reviewed: {names}")
    if stop.step_down_next_session:
        lines.append("next session one intensity level lower")
    for reason in stop.reasons:
        related = (
            f" (see {', '.join(reason.related_rules)})" if reason.related_rules else ""
        )
        lines.append(
            f"{reason.rule_id}: {reason.trigger} → {reason.message} "
            f"[dim]source {reason.source}{related}[/]"
        )
    console.print(Panel("\n".join(lines), title="STOP", title_align="left"))


@session_app.command("record")
def record_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    file: Path = typer.Option(..., "--file", "-f", help="the session (YAML/JSON)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    user: str | None = user_option(),
) -> None:
    """Sign the note of one planned session; the stop rules are applied."""
    with signed_in(user) as session:
        data = read_document(file)
        outcome = record_session(
            session.store, session.actor, patient_id, data, session.kb(), file=str(file)
        )
    _show(outcome, as_json)


@session_app.command("amend")
def amend_command(
    note_id: int = typer.Argument(
        ..., parser=record_id, metavar="NOTE", help="session note id"
    ),
    file: Path = typer.Option(..., "--file", "-f", help="the corrected session"),
    reason: str = typer.Option(..., "--reason", help="what the amendment corrects"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    user: str | None = user_option(),
) -> None:
    """Add a corrected, signed version of a session note (earlier versions stay)."""
    with signed_in(user) as session:
        data = read_document(file)
        outcome = amend_session(
            session.store,
            session.actor,
            note_id,
            data,
            reason,
            session.kb(),
            file=str(file),
        )
    _show(outcome, as_json)


@session_app.command("list")
def list_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    user: str | None = user_option(),
) -> None:
    """Every signed version of the patient's session notes."""
    with signed_in(user) as session:
        notes = session_notes(session.store, session.actor, patient_id)
    table = Table(
        "note",
        "plan",
        "session",
        "v",
        "date",
        "modality",
        "pain",
        "stop",
        "signed by",
        box=None,
    )
    for n in notes:
        r = n.record
        table.add_row(
            str(n.id),
            str(n.plan_id),
            str(n.session_number),
            str(n.version),
            r.performed_on.isoformat(),
            r.modality.value,
            f"{r.pain_nrs_before}→{r.pain_nrs_after}",
            ", ".join(n.stop.rule_ids()) or "—",
            n.signed_by_name or str(n.signed_by),
        )
    console.print(table)


def _show(outcome: SessionOutcome, as_json: bool) -> None:
    if as_json:
        typer.echo(outcome.model_dump_json(indent=2))
    else:
        describe_outcome(outcome)


def register(app: typer.Typer) -> None:
    app.add_typer(session_app, name="session")
