"""``spinewise audit`` (the trail) and ``spinewise replay`` (KB change impact)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.ids import record_id
from spinewise.cli.output import console
from spinewise.cli.signin import signed_in, user_option
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
    patient: int | None = typer.Option(
        None, "--patient", help="only this patient id", parser=record_id
    ),
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
        for entry in entries:
            typer.echo(entry.model_dump_json())
        return
    table = Table("at (UTC)", "user", "via", "action", "what", "patient", box=None)
    for e in entries:
        table.add_row(
            f"{e.at:%Y-%m-%d %H:%M:%S}",
            e.username or "—",
            f"{e.interface} {e.client_address or ''}".strip(),
            e.action,
            f"{e.entity} {e.entity_id or ''}".strip(),
            ",".join(map(str, e.patient_ids)) or str(e.patient_id or ""),
        )
    console.print(table)


def _print_report(report: ReplayReport) -> None:
    console.print(
        f"replayed {report.checked} decision(s) with kb {report.kb_version}, "
        f"engine {report.engine_version}: {len(report.changes)} would change"
    )
    for c in report.changes:
        state = "current" if c.current else "superseded"
        console.print(
            f"\n[bold]patient {c.patient_id}[/] ({c.record_number}) assessment "
            f"{c.assessment_id} #{c.number} v{c.version} ({state}), decision "
            f"{c.decision_id} (kb {c.kb_version_before}): "
            f"{c.verdict_before.value} → [bold]{c.verdict_after.value}[/]"
        )
        for modality, (before, after) in c.modalities.items():
            console.print(f"  {modality.value}: {before.value} → {after.value}")
        for rule in c.rules:
            console.print(
                f"  rule {rule.rule}: {rule.before.value} → {rule.after.value}"
            )


def replay_command(
    kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = user_option(),
) -> None:
    """Re-screen every stored assessment with the KB in force; show what would change."""
    with signed_in(user) as session:
        report = replay_decisions(session.store, session.actor, session.kb(kb_path))
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print_report(report)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit_command)
    app.command("replay")(replay_command)
