"""``spinewise screen FILE|DIR... [--json]``: decisions exactly per the screening contract."""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.cli.context import requested_language, use_language
from spinewise.cli.decisions import show_decisions
from spinewise.cli.files import expand, read_document
from spinewise.cli.ids import OptionalPatient
from spinewise.cli.output import fail
from spinewise.cli.signin import user_option
from spinewise.cli.stored import save_screened
from spinewise.cli.words import _
from spinewise.errors import FieldProblem, InputError, SpinewiseError
from spinewise.kb import KnowledgeBase, load_kb
from spinewise.models import Assessment, parse_model
from spinewise.screening import screen


def load_assessments(paths: list[Path]) -> list[tuple[Path, Assessment]]:
    """Read and validate every file; all problems of all files in one InputError list."""
    files = expand(paths)
    if not files:
        problem = FieldProblem("(arguments)", _("no assessment files found"))
        raise InputError([problem])
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


def _kb_or_fail(kb_path: Path | None) -> KnowledgeBase:
    try:
        return load_kb(kb_path)
    except SpinewiseError as exc:
        fail(exc)


def register(app: typer.Typer) -> None:
    @app.command("screen")
    def screen_command(
        paths: list[Path] = typer.Argument(..., help="assessment files or folders"),
        as_json: bool = typer.Option(False, "--json", help="print contract JSON"),
        kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
        save: bool = typer.Option(
            False, "--save", help="store assessment and decision for --patient"
        ),
        patient: OptionalPatient = None,
        user: str | None = user_option(),
        lang: str | None = typer.Option(
            None,
            "--lang",
            envvar="SPINEWISE_LANG",
            help="language of the output, as the global --lang (en, ru); "
            "codes stay codes",
        ),
    ) -> None:
        """Screen assessments: verdict, modality statuses, findings, missing answers."""
        if lang is not None:  # this command's own --lang wins over the global one
            use_language(requested_language(lang))
        kb = _kb_or_fail(kb_path)
        try:
            loaded = load_assessments(paths)
        except InputError as exc:
            fail(exc)
        if save:  # stored, and screened with the clearance on record
            decisions = save_screened(loaded, patient, user, kb)
        else:
            decisions = [(path, screen(a, kb)) for path, a in loaded]
        titled = [(path.name, decision) for path, decision in decisions]
        single = len(paths) == 1 and not paths[0].is_dir()
        show_decisions(titled, kb, as_json, single=single)
