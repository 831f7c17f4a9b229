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
from spinewise.cli.ids import JsonFlag, NoteId, Patient
from spinewise.cli.output import console, print_json
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, day, moment
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
    says = _(
        "session note {id}: plan {plan}, session {number}, version {version}, "
        "signed by {signer} at {at} UTC"
    ).format(
        id=note.id,
        plan=note.plan_id,
        number=note.session_number,
        version=note.version,
        signer=note.signed_by_name or note.signed_by,
        at=moment(note.signed_at),
    )
    console.print(says, markup=False, soft_wrap=True)
    if not stop.stop:
        console.print(_("stop rules: none held"))
        return
    lines = []
    if stop.emergency_referral:
        urgent = _("EMERGENCY REFERRAL: a cauda equina flag is present")
        lines.append(f"[bold]{urgent}[/]")
    if stop.suspend_plan:
        suspended = _("plan {id} SUSPENDED: re-screen before the next session").format(
            id=outcome.plan.id
        )
        lines.append(f"[bold]{suspended}[/]")
    if stop.medical_assessment:
        lines.append(_("medical assessment needed"))
    if stop.suspended_modalities:
        names = ", ".join(m.value for m in stop.suspended_modalities)
        lines.append(_("suspended until reviewed: {names}").format(names=names))
    if stop.step_down_next_session:
        lines.append(_("next session one intensity level lower"))
    for reason in stop.reasons:
        related = ", ".join(reason.related_rules)
        source = _("source {source}").format(source=reason.source)
        if related:
            source += " " + _("(see {rules})").format(rules=related)
        lines.append(
            f"{reason.rule_id}: {reason.trigger} → {reason.message} [dim]{source}[/]"
        )
    console.print(Panel("\n".join(lines), title=_("STOP"), title_align="left"))


@session_app.command("record")
def record_command(
    patient_id: Patient,
    file: Path = typer.Option(..., "--file", "-f", help="the session (YAML/JSON)"),
    as_json: JsonFlag = False,
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
    note_id: NoteId,
    file: Path = typer.Option(..., "--file", "-f", help="the corrected session"),
    reason: str = typer.Option(..., "--reason", help="what the amendment corrects"),
    as_json: JsonFlag = False,
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
    patient_id: Patient,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Every signed version of the patient's session notes."""
    with signed_in(user) as session:
        notes = session_notes(session.store, session.actor, patient_id)
    if as_json:
        print_json([n.model_dump(mode="json") for n in notes])
        return
    table = Table(
        _("note"),
        _("plan"),
        _("session"),
        "v",
        _("date"),
        _("modality"),
        _("pain"),
        _("stop"),
        _("signed by"),
        box=None,
    )
    for n in notes:
        r = n.record
        table.add_row(
            str(n.id),
            str(n.plan_id),
            str(n.session_number),
            str(n.version),
            day(r.performed_on),
            r.modality.value,
            f"{r.pain_nrs_before}→{r.pain_nrs_after}",
            ", ".join(n.stop.rule_ids()) or "—",
            n.signed_by_name or str(n.signed_by),
        )
    console.print(table)


def _show(outcome: SessionOutcome, as_json: bool) -> None:
    if as_json:
        print_json(outcome.model_dump(mode="json"))
    else:
        describe_outcome(outcome)


def register(app: typer.Typer) -> None:
    app.add_typer(session_app, name="session")
