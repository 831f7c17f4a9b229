"""``spinewise audit`` (the trail) and ``spinewise replay`` (KB change impact)."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from spinewise.cli.ids import JsonFlag, KbPath, OptionalPatient
from spinewise.cli.output import console, counting, print_json, print_json_lines
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, moment, ngettext
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.screening import screen
from spinewise.services import (
    Action,
    AuditFilter,
    Interface,
    ReplayReport,
    list_audit,
    replay_decisions,
)

_DAY = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return None if value is None else value.replace(tzinfo=dt.UTC)


def audit_command(
    by: str | None = typer.Option(None, "--by", help="only this username"),
    patient: OptionalPatient = None,
    action: Action | None = typer.Option(None, "--action"),
    entity: str | None = typer.Option(None, "--entity", help="patient, decision, ..."),
    interface: Interface | None = typer.Option(None, "--interface"),
    since: dt.datetime | None = typer.Option(None, "--since", formats=_DAY, help="UTC"),
    until: dt.datetime | None = typer.Option(None, "--until", formats=_DAY, help="UTC"),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000),
    as_json: bool = typer.Option(False, "--json", help="one JSON object per line"),
    user: str | None = user_option(),
) -> None:
    """The clinic's audit trail, newest first (clinic administrators)."""
    filters = AuditFilter(
        username=by,
        patient_id=patient,
        action=action,
        entity=entity,
        interface=interface,
        since=_utc(since),
        until=_utc(until),
        limit=limit,
    )
    with signed_in(user) as session:
        entries = list_audit(session.store, session.actor, filters)
    if as_json:
        print_json_lines(entry.model_dump(mode="json") for entry in entries)
        return
    table = Table(
        _("at (UTC)"),
        _("user"),
        _("via"),
        _("action"),
        _("what"),
        _("patient"),
        box=None,
    )
    for e in entries:
        table.add_row(
            moment(e.at, seconds=True),
            e.username or "—",
            f"{e.interface} {e.client_address or ''}".strip(),
            e.action,
            f"{e.entity} {e.entity_id or ''}".strip(),
            ",".join(map(str, e.patient_ids)) or str(e.patient_id or ""),
        )
    console.print(table)


def _print_report(report: ReplayReport) -> None:
    replayed = ngettext(
        "replayed {checked} decision(s) with kb {kb}, engine {engine}: "
        "{changes} would change",
        "replayed {checked} decision(s) with kb {kb}, engine {engine}: "
        "{changes} would change",
        report.checked,
    )
    console.print(
        replayed.format(
            checked=report.checked,
            kb=report.kb_version,
            engine=report.engine_version,
            changes=len(report.changes),
        )
    )
    for c in report.changes:
        state = _("current") if c.current else _("superseded")
        patient = _("patient {id}").format(id=c.patient_id)
        assessment = _(
            "({record}) assessment {id} #{number} v{version} ({state}), decision "
            "{decision} (kb {kb}):"
        ).format(
            record=c.record_number,
            id=c.assessment_id,
            number=c.number,
            version=c.version,
            state=state,
            decision=c.decision_id,
            kb=c.kb_version_before,
        )
        console.print(
            f"\n[bold]{patient}[/] {assessment} "
            f"{c.verdict_before.value} → [bold]{c.verdict_after.value}[/]"
        )
        for modality, (before, after) in c.modalities.items():
            console.print(f"  {modality.value}: {before.value} → {after.value}")
        for rule in c.rules:
            says = _("rule {rule}: {before} → {after}").format(
                rule=rule.rule, before=rule.before.value, after=rule.after.value
            )
            console.print(f"  {says}")


def replay_command(
    kb_path: KbPath = None,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Re-screen every stored assessment with the KB in force; show what would change."""
    with signed_in(user) as session:
        kb = session.kb(kb_path)
        with counting(_("replaying decisions"), None, hidden=as_json) as advance:

            def counted(assessment: Assessment, kb: KnowledgeBase) -> Decision:
                advance(1)
                return screen(assessment, kb)

            report = replay_decisions(
                session.store, session.actor, kb, screener=counted
            )
    if as_json:
        print_json(report.model_dump(mode="json"))
    else:
        _print_report(report)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)
    app.command("replay")(replay_command)
