"""``spinewise kb check | doc``: validate the knowledge base, generate its clinical page."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.ids import JsonFlag, KbPath
from spinewise.cli.output import console, fail, print_json
from spinewise.cli.reference import write_page
from spinewise.cli.words import _
from spinewise.errors import SpinewiseError
from spinewise.kb import KnowledgeBase, load_kb

DEFAULT_DOC = Path("docs/clinical-basis.md")
kb_app = typer.Typer(
    help="The knowledge base: validate it and document it.", no_args_is_help=True
)


def _load(kb_path: Path | None) -> KnowledgeBase:
    try:
        return load_kb(kb_path)
    except SpinewiseError as exc:
        fail(exc)


@kb_app.command("check")
def check(kb_path: KbPath = None, as_json: JsonFlag = False) -> None:
    """Validate every rule and source; print the version and counts by severity."""
    kb = _load(kb_path)
    counts = kb.counts_by_severity()
    if as_json:
        print_json(
            {
                "version": kb.version,
                "valid": True,
                "rules": len(kb.rules),
                "sources": len(kb.sources),
                "rules_by_severity": {s.value: n for s, n in counts.items()},
            }
        )
        return
    title = _("knowledge base {version}: valid").format(version=kb.version)
    table = Table(_("severity"), _("rules"), title=title)
    for severity, count in counts.items():
        table.add_row(severity.value, str(count))
    table.add_row("[bold]" + _("total") + "[/]", f"[bold]{len(kb.rules)}[/]")
    console.print(table)
    says = _("{count} sources, every rule's source resolves.")
    console.print(says.format(count=len(kb.sources)))


@kb_app.command("doc")
def doc(
    output: Path = typer.Option(DEFAULT_DOC, "--output", "-o", help="where to write"),
    check_only: bool = typer.Option(False, "--check", help="fail if the page is stale"),
    kb_path: KbPath = None,
) -> None:
    """Generate the clinical-basis page (the decision, every rule in words with its
    source, techniques, zones, stop rules, advice, outcome instruments, review list),
    in English and, beside it, in each other language (clinical-basis.ru.md)."""
    from spinewise.cli.clinical_basis import render_clinical_basis_page
    from spinewise.i18n import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES

    kb = _load(kb_path)
    for language in SUPPORTED_LANGUAGES:
        path = (
            output
            if language == DEFAULT_LANGUAGE
            else output.with_suffix(f".{language}{output.suffix}")
        )
        text = render_clinical_basis_page(kb, language)
        write_page(path, text, check_only, "spinewise kb doc")


def register(app: typer.Typer) -> None:
    app.add_typer(kb_app, name="kb")
