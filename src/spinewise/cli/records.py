"""``spinewise patients ...`` and ``spinewise assessments ...``: the clinic's records."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.clearance import describe_clearance
from spinewise.cli.files import read_document
from spinewise.cli.ids import record_id
from spinewise.cli.output import console, err_console, fail
from spinewise.cli.report import document_language, lang_option
from spinewise.cli.retention import erase_command, retention_command
from spinewise.cli.screen import render_decision
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.stored import saved_line
from spinewise.models import INT32_MAX, Decision
from spinewise.services import (
    amend_assessment,
    export_patient,
    export_patient_pdf,
    patient_overview,
    register_patient,
    screen_assessment,
    search_patients,
)


class ExportFormat(StrEnum):
    JSON = "json"
    PDF = "pdf"


patients_app = typer.Typer(help="Patients of your clinic.", no_args_is_help=True)
assessments_app = typer.Typer(
    help="Stored assessments: amend, re-screen.", no_args_is_help=True
)


@patients_app.command("add")
def add_patient(
    record_number: str = typer.Argument(..., help="the clinic's record number"),
    name: str = typer.Argument(..., help="the patient's name"),
    born: str | None = typer.Option(None, "--born", help="birth date YYYY-MM-DD"),
    user: str | None = user_option(),
) -> None:
    """Register a patient of your clinic."""
    with signed_in(user) as session:
        details = {"record_number": record_number, "name": name, "birth_date": born}
        patient = register_patient(session.store, session.actor, details)
    console.print(f"patient {patient.id}: {patient.record_number} {patient.name}")


@patients_app.command("list")
def list_command(
    search: str = typer.Option(
        "", "--search", "-s", help="name, record number or birth date (any case)"
    ),
    sort: str = typer.Option("name", "--sort", help="name, record or recent"),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000),
    offset: int = typer.Option(0, "--offset", min=0, max=INT32_MAX),
    as_json: bool = typer.Option(False, "--json", help="one JSON document"),
    user: str | None = user_option(),
) -> None:
    """Your clinic's patients: searched, sorted, a page of them and how many match."""
    with signed_in(user) as session:
        page = search_patients(
            session.store, session.actor, search, sort=sort, limit=limit,
            offset=offset,
        )  # fmt: skip
    rows = [s.patient for s in page.items]
    if as_json:
        document = {
            "total": page.total,
            "offset": offset,
            "patients": [p.model_dump(mode="json") for p in rows],
        }
        console.print_json(json.dumps(document, ensure_ascii=False))
        return
    table = Table("id", "record", "name", "born", box=None, pad_edge=False)
    for p in rows:
        table.add_row(str(p.id), p.record_number, p.name, str(p.birth_date or "—"))
    console.print(table)
    shown = f"{offset + 1}-{offset + len(rows)}" if rows else "none"
    err_console.print(f"{shown} of {page.total} patient(s)")


@patients_app.command("export")
def export_command(
    patient_id: int = typer.Argument(..., help="patient id", parser=record_id),
    out: Path | None = typer.Option(None, "--out", help="write the document here"),
    document_format: ExportFormat = typer.Option(
        ExportFormat.JSON, "--format", help="json (complete) or pdf (readable)"
    ),
    lang: str | None = lang_option(),
    user: str | None = user_option(),
) -> None:
    """Everything held about a patient (right of access): one JSON document, or
    the same record as a readable PDF (``--format pdf --out FILE``)."""
    if document_format is ExportFormat.PDF:
        _export_pdf(patient_id, out, lang, user)
        return
    with signed_in(user) as session:
        document = export_patient(session.store, session.actor, patient_id)
    text = json.dumps(document, ensure_ascii=False, indent=2)
    if out is None:
        console.print_json(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    err_console.print(f"wrote {out}: everything held about patient {patient_id}")


def _export_pdf(
    patient_id: int, out: Path | None, lang: str | None, user: str | None
) -> None:
    if out is None:
        fail("--out: a PDF is written to a file; give --out FILE")
    language = document_language(lang)
    with signed_in(user) as session:
        document = export_patient_pdf(
            session.store, session.actor, patient_id, language=language
        )
    out.write_bytes(document)
    err_console.print(f"wrote {out}: everything held about patient {patient_id}")


@patients_app.command("show")
def show_patient(
    patient_id: int = typer.Argument(..., parser=record_id),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = user_option(),
) -> None:
    """A patient: latest assessments with their decisions, the clearance in force."""
    with signed_in(user) as session:
        overview = patient_overview(session.store, session.actor, patient_id)
    if as_json:
        typer.echo(overview.model_dump_json(indent=2))
        return
    p = overview.patient
    console.print(f"[bold]{p.name}[/] · {p.record_number} · patient {p.id}")
    table = Table("assessment", "#", "assessed", "decision", "verdict", box=None)
    for a in overview.assessments:
        d = overview.decisions.get(a.id)
        table.add_row(
            str(a.id),
            f"{a.number} v{a.version}",
            a.assessed_on.isoformat(),
            str(d.id) if d else "—",
            d.decision.verdict.value if d else "—",
        )
    console.print(table)
    c = overview.clearance
    if c is None:
        console.print("clearance: none in force for the current assessment")
    else:
        console.print(describe_clearance(c), markup=False, soft_wrap=True)


@assessments_app.command("amend")
def amend_command(
    assessment_id: int = typer.Argument(
        ..., parser=record_id, help="the version to correct"
    ),
    path: Path = typer.Argument(..., help="the corrected assessment (YAML/JSON)"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = user_option(),
) -> None:
    """Store a corrected version (the original stays) and screen it."""
    with signed_in(user) as session:
        data = read_document(path)
        result = amend_assessment(
            session.store,
            session.actor,
            assessment_id,
            data,
            session.kb(),
            file=str(path),
        )
    err_console.print(saved_line(path.name, result), markup=False, soft_wrap=True)
    _print(result.decision.decision, path.name, as_json)


@assessments_app.command("screen")
def rescreen_command(
    assessment_id: int = typer.Argument(..., parser=record_id),
    kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
    as_json: bool = typer.Option(False, "--json"),
    user: str | None = user_option(),
) -> None:
    """Re-screen a current assessment with the clearance now in force; store it."""
    with signed_in(user) as session:
        stored = screen_assessment(
            session.store, session.actor, assessment_id, session.kb(kb_path)
        )
    err_console.print(f"stored decision {stored.id}", markup=False, soft_wrap=True)
    _print(stored.decision, f"assessment {assessment_id}", as_json)


def _print(decision: Decision, title: str, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(decision.to_contract(), indent=2, ensure_ascii=False))
    else:
        render_decision(decision, title)


patients_app.command("erase")(erase_command)
patients_app.command("retention")(retention_command)


def register(app: typer.Typer) -> None:
    app.add_typer(patients_app, name="patients")
    app.add_typer(assessments_app, name="assessments")
