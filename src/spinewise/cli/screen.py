"""``spinewise screen FILE|DIR... [--json]``: decisions exactly per the screening contract."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.panel import Panel
from rich.table import Table

from spinewise.cli.context import current_settings
from spinewise.cli.files import expand, read_document
from spinewise.cli.ids import record_id
from spinewise.cli.output import console, fail
from spinewise.cli.signin import user_option
from spinewise.cli.stored import save_screened
from spinewise.errors import FieldProblem, InputError, SpinewiseError
from spinewise.i18n import parse_language, parse_languages
from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import (
    Assessment,
    Decision,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
    parse_model,
)
from spinewise.screening import decision_document, screen, translate_decision

_VERDICT_STYLE = {
    Verdict.URGENT_REFERRAL: "bold white on red",
    Verdict.INCOMPLETE: "bold black on yellow",
    Verdict.DECLINED_BY_PHYSICIAN: "bold white on magenta",
    Verdict.NOT_NOW: "bold black on yellow",
    Verdict.NOT_SUITABLE: "bold white on red",
    Verdict.AWAITING_CLEARANCE: "bold black on cyan",
    Verdict.PROCEED: "bold black on green",
}
_STATUS_MARK = {
    ModalityStatus.ALLOWED: "[green]✔ allowed[/]",
    ModalityStatus.WITH_PRECAUTIONS: "[yellow]▲ with precautions[/]",
    ModalityStatus.CONTRAINDICATED: "[red]✘ contraindicated[/]",
    ModalityStatus.UNDETERMINED: "[magenta]? undetermined[/]",
}


def load_assessments(paths: list[Path]) -> list[tuple[Path, Assessment]]:
    """Read and validate every file; all problems of all files in one InputError list."""
    files = expand(paths)
    if not files:
        raise InputError([FieldProblem("(arguments)", "no assessment files found")])
    loaded, errors = [], []
    for path in files:
        try:
            loaded.append(
                (path, parse_model(Assessment, read_document(path), file=str(path)))
            )
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise InputError([p for e in errors for p in _qualified(e)])
    return loaded


def _qualified(error: InputError) -> list[FieldProblem]:
    return [
        FieldProblem(f"{error.file}: {p.field}" if error.file else p.field, p.message)
        for p in error.problems
    ]


def render_decision(decision: Decision, title: str) -> None:
    """A readable report: verdict, modalities, findings by severity, missing, re-screen."""
    style = _VERDICT_STYLE[decision.verdict]
    verdict = decision.verdict.value.replace("_", " ").upper()
    console.print(
        Panel(
            f"[{style}] {verdict} [/]\n{decision.summary}",
            title=title,
            title_align="left",
        )
    )
    table = Table("modality", "status", "rules", box=None, pad_edge=False)
    for modality, part in decision.modalities.items():
        note = " (excluded by the physician)" if part.excluded_by_physician else ""
        table.add_row(
            modality.value,
            _STATUS_MARK[part.status] + note,
            ", ".join(part.rules + part.undetermined_rules) or "—",
        )
    console.print(table)
    for severity in Severity:
        found = [f for f in decision.findings if f.severity is severity]
        if not found:
            continue
        console.print(f"\n[bold]{severity.value.replace('_', ' ')}[/]")
        for f in found:
            open_ = (
                " [magenta](undetermined, applied)[/]"
                if f.state is RuleState.UNDETERMINED
                else ""
            )
            console.print(f"  [bold]{f.rule}[/]{open_} {f.message}", soft_wrap=False)
            console.print(f"    [dim]source {f.source}: {f.citation}[/]")
    if decision.missing:
        console.print("\n[bold]missing answers[/]")
        for path in decision.missing:
            console.print(f"  ☐ {path}")
    if decision.rescreen_after_days is not None and decision.assessed_on:
        day = dt.date.fromisoformat(decision.assessed_on) + dt.timedelta(
            days=decision.rescreen_after_days
        )
        console.print(
            f"\n[bold]re-screen[/] after {decision.rescreen_after_days} day(s): "
            f"on or after {day.isoformat()}"
        )
    console.print(
        f"[dim]kb {decision.kb_version} · engine {decision.engine_version}[/]\n"
    )


def _kb_or_fail(kb_path: Path | None) -> KnowledgeBase:
    try:
        return load_kb(kb_path)
    except SpinewiseError as exc:
        fail(exc)


def _language_or_fail(code: str | None) -> str | None:
    """The language ``--lang`` (or ``SPINEWISE_LANG``) asks for, among those the
    deployment enables; None when not asked (the output stays exactly as it was)."""
    if code is None:
        return None
    try:
        enabled = parse_languages(
            current_settings().languages, field="SPINEWISE_LANGUAGES"
        )
        return parse_language(code, field="--lang", enabled=enabled)
    except InputError as exc:
        fail(exc)


def _document(
    decision: Decision, kb: KnowledgeBase, language: str | None
) -> dict[str, object]:
    if language is None:
        return decision.to_contract()
    return decision_document(decision, kb, language)


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen_command(
        paths: list[Path] = typer.Argument(..., help="assessment files or folders"),
        as_json: bool = typer.Option(False, "--json", help="print contract JSON"),
        kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
        save: bool = typer.Option(
            False, "--save", help="store assessment and decision for --patient"
        ),
        patient: int | None = typer.Option(
            None, "--patient", help="patient id", parser=record_id
        ),
        user: str | None = user_option(),
        lang: str | None = typer.Option(
            None,
            "--lang",
            envvar="SPINEWISE_LANG",
            help="language of the summary and finding messages (en, ru); "
            "codes stay codes",
        ),
    ) -> None:
        """Screen assessments: verdict, modality statuses, findings, missing answers."""
        language = _language_or_fail(lang)
        kb = _kb_or_fail(kb_path)
        try:
            loaded = load_assessments(paths)
        except InputError as exc:
            fail(exc)
        if save:  # stored, and screened with the clearance on record
            decisions = save_screened(loaded, patient, user, kb)
        else:
            decisions = [(path, screen(a, kb)) for path, a in loaded]
        single = len(paths) == 1 and not paths[0].is_dir()
        if as_json:
            if single:
                out: object = _document(decisions[0][1], kb, language)
            else:
                out = [
                    {**_document(d, kb, language), "source": p.name}
                    for p, d in decisions
                ]
            typer.echo(json.dumps(out, indent=2, ensure_ascii=False))
            return
        for path, decision in decisions:
            shown = translate_decision(decision, kb, language) if language else decision
            render_decision(shown, path.name)
