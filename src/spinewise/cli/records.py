"""``spinewise patients ...`` and ``spinewise assessments ...``: the clinic's records."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.clearance import describe_clearance
from spinewise.cli.context import run_options
from spinewise.cli.decisions import show_decisions
from spinewise.cli.files import read_document
from spinewise.cli.ids import AssessmentId, JsonFlag, KbPath, Patient
from spinewise.cli.output import console, counting, err_console, fail, print_json
from spinewise.cli.report import document_language, lang_option
from spinewise.cli.retention import erase_command, retention_command
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.stored import saved_line
from spinewise.cli.words import _, day, ngettext
from spinewise.kb import KnowledgeBase
from spinewise.models import INT32_MAX
from spinewise.screening import translate_decision
from spinewise.services import (
    PatientOverview,
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
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Register a patient of your clinic."""
    with signed_in(user) as session:
        details = {"record_number": record_number, "name": name, "birth_date": born}
        patient = register_patient(session.store, session.actor, details)
    if as_json:
        print_json(patient.model_dump(mode="json"))
        return
    text = _("patient {id}: {record} {name}").format(
        id=patient.id, record=patient.record_number, name=patient.name
    )
    console.print(text, markup=False)


@patients_app.command("list")
def list_command(
    search: str = typer.Option(
        "", "--search", "-s", help="name, record number or birth date (any case)"
    ),
    sort: str = typer.Option("name", "--sort", help="name, record or recent"),
    limit: int = typer.Option(100, "--limit", min=1, max=10_000),
    offset: int = typer.Option(0, "--offset", min=0, max=INT32_MAX),
    as_json: JsonFlag = False,
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
        print_json(document)
        return
    table = Table(_("id"), _("record"), _("name"), _("born"), box=None, pad_edge=False)
    for p in rows:
        table.add_row(str(p.id), p.record_number, p.name, str(p.birth_date or "—"))
    console.print(table)
    shown = f"{offset + 1}-{offset + len(rows)}" if rows else _("none")
    counted = ngettext(
        "{shown} of {total} patient(s)", "{shown} of {total} patient(s)", page.total
    )
    err_console.print(counted.format(shown=shown, total=page.total))


@patients_app.command("export")
def export_command(
    patient_id: Patient,
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
    with signed_in(user) as session, counting(_("exporting"), None):
        document = export_patient(session.store, session.actor, patient_id)
    if out is None:
        print_json(document)
        return
    out.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    note = _("wrote {file}: everything held about patient {id}")
    err_console.print(note.format(file=out, id=patient_id), markup=False)


def _export_pdf(
    patient_id: int, out: Path | None, lang: str | None, user: str | None
) -> None:
    if out is None:
        fail(_("--out: a PDF is written to a file; give --out FILE"))
    language = document_language(lang)
    with signed_in(user) as session:
        document = export_patient_pdf(
            session.store,
            session.actor,
            patient_id,
            language=language,
            kb=session.kb(),
        )
    out.write_bytes(document)
    note = _("wrote {file}: everything held about patient {id}")
    err_console.print(note.format(file=out, id=patient_id), markup=False)


@patients_app.command("show")
def show_patient(
    patient_id: Patient,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """A patient: latest assessments with their decisions, the clearance in force."""
    with signed_in(user) as session:
        overview = patient_overview(session.store, session.actor, patient_id)
        kb = session.kb() if as_json and run_options().language else None
    if as_json:
        print_json(_overview_document(overview, kb))
        return
    p = overview.patient
    heading = _("patient {id}").format(id=p.id)
    console.print(f"[bold]{p.name}[/] · {p.record_number} · {heading}")
    table = Table(
        _("assessment"), "#", _("assessed"), _("decision"), _("verdict"), box=None
    )
    for a in overview.assessments:
        d = overview.decisions.get(a.id)
        table.add_row(
            str(a.id),
            f"{a.number} v{a.version}",
            day(a.assessed_on),
            str(d.id) if d else "—",
            d.decision.verdict.value if d else "—",
        )
    console.print(table)
    c = overview.clearance
    if c is None:
        console.print(_("clearance: none in force for the current assessment"))
    else:
        console.print(describe_clearance(c), markup=False, soft_wrap=True)


def _overview_document(
    overview: PatientOverview, kb: KnowledgeBase | None
) -> dict[str, object]:
    """The overview as JSON; with ``--lang`` (``kb`` given) its decisions' summaries and
    finding messages in that language, saying which (``"lang"``)."""
    language = run_options().language
    if kb is None or language is None:
        return overview.model_dump(mode="json")
    decisions = {
        key: stored.model_copy(
            update={"decision": translate_decision(stored.decision, kb, language)}
        )
        for key, stored in overview.decisions.items()
    }
    translated = overview.model_copy(update={"decisions": decisions})
    return {**translated.model_dump(mode="json"), "lang": language}


@assessments_app.command("amend")
def amend_command(
    assessment_id: AssessmentId,
    path: Path = typer.Argument(..., help="the corrected assessment (YAML/JSON)"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Store a corrected version of ASSESSMENT (the original stays) and screen it."""
    with signed_in(user) as session:
        data = read_document(path)
        kb = session.kb()
        result = amend_assessment(
            session.store, session.actor, assessment_id, data, kb, file=str(path)
        )
    err_console.print(saved_line(path.name, result), markup=False, soft_wrap=True)
    show_decisions([(path.name, result.decision.decision)], kb, as_json)


@assessments_app.command("screen")
def rescreen_command(
    assessment_id: AssessmentId,
    kb_path: KbPath = None,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Re-screen a current assessment with the clearance now in force; store it."""
    with signed_in(user) as session:
        kb = session.kb(kb_path)
        stored = screen_assessment(session.store, session.actor, assessment_id, kb)
    note = _("stored decision {id}").format(id=stored.id)
    err_console.print(note, markup=False, soft_wrap=True)
    title = _("assessment {id}").format(id=assessment_id)
    show_decisions([(title, stored.decision)], kb, as_json)


patients_app.command("erase")(erase_command)
patients_app.command("retention")(retention_command)


def register(app: typer.Typer) -> None:
    app.add_typer(patients_app, name="patients")
    app.add_typer(assessments_app, name="assessments")
