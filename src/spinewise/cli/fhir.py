"""``spinewise export fhir`` and ``spinewise import fhir``: records as FHIR R4 Bundles."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from spinewise.cli.decisions import decision_json, show_decisions
from spinewise.cli.files import read_file_bytes
from spinewise.cli.ids import JsonFlag, OptionalPatient, Patient
from spinewise.cli.output import counting, err_console, fail, print_json
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.stored import saved_line
from spinewise.cli.words import _, ngettext
from spinewise.errors import InputError
from spinewise.models import decode_text
from spinewise.services import ImportedBundle, export_fhir_record, import_fhir_bundle

export_app = typer.Typer(help="Export records.", no_args_is_help=True)
import_app = typer.Typer(help="Import records.", no_args_is_help=True)


@export_app.command("fhir")
def export_fhir(
    patient: Patient,
    out: Path | None = typer.Option(None, "--out", "-o", help="write to FILE"),
    with_kb: bool = typer.Option(
        False,
        "--with-kb",
        help="include the knowledge base (PlanDefinition, Library) and the code systems,"
        " value sets and extension definitions the export uses",
    ),
    user: str | None = user_option(),
) -> None:
    """A patient's whole record as a FHIR R4 collection Bundle (always JSON)."""
    with signed_in(user) as session, counting(_("exporting"), None):
        kb = session.kb() if with_kb else None
        bundle = export_fhir_record(
            session.store,
            session.actor,
            patient,
            kb=kb,
            canonical_base=session.settings.fhir_canonical_base,
        )
    text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    entries = len(bundle.get("entry", []))
    note = ngettext(
        "wrote {file}: {count} resource(s)",
        "wrote {file}: {count} resource(s)",
        entries,
    )
    err_console.print(note.format(file=out, count=entries), markup=False)


def _warn(file: Path, imported: ImportedBundle) -> None:
    """A warning line per skipped entry, and one for responses already imported."""
    for problem in imported.skipped:
        err_console.print(f"{file}: {problem}", markup=False, soft_wrap=True)
    if imported.unchanged:
        note = ngettext(
            "{file}: {count} response(s) already imported, unchanged",
            "{file}: {count} response(s) already imported, unchanged",
            imported.unchanged,
        )
        err_console.print(
            note.format(file=file, count=imported.unchanged), markup=False
        )


@import_app.command("fhir")
def import_fhir(
    file: Path = typer.Argument(..., help="a FHIR R4 Bundle (JSON)"),
    patient: OptionalPatient = None,
    register: bool = typer.Option(
        False, "--register", help="register the bundle's patient as new"
    ),
    as_json: JsonFlag = False,
    strict: bool = typer.Option(
        False, "--strict", help="store nothing (exit 2) if any resource is unreadable"
    ),
    user: str | None = user_option(),
) -> None:
    """Read the Spinewise assessment(s) of a Bundle, screen and store them.

    The patient: --patient, else one known by the bundle Patient's identifiers or
    record number, else (--register) a new one. Unreadable resources are skipped with
    a warning (--strict: nothing stored); a response imported before is stored again
    only when its answers changed, as an amendment. All in one transaction.
    """
    if patient is not None and register:
        fail(_("give --patient ID or --register, not both"))
    try:
        text = decode_text(read_file_bytes(file), str(file))
    except InputError as error:
        fail(error)
    label = _("importing")
    with signed_in(user) as session, counting(label, None, hidden=as_json):
        kb = session.kb()
        imported = import_fhir_bundle(
            session.store,
            session.actor,
            text,
            kb,
            patient_id=patient,
            register=register,
            strict=strict,
            file=str(file),
        )
    _warn(file, imported)
    for result in imported.results:
        err_console.print(saved_line(file.name, result), markup=False, soft_wrap=True)
    decisions = [r.decision.decision for r in imported.results]
    if as_json:
        documents = [decision_json(d, kb) for d in decisions]
        print_json(documents[0] if len(documents) == 1 else documents)
        return
    show_decisions([(file.name, d) for d in decisions], kb, as_json=False)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.add_typer(import_app, name="import")
