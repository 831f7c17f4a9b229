"""``spinewise kb check | doc``: validate the knowledge base, generate its clinical page."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.output import console, fail
from spinewise.cli.reference import write_page
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
def check(
    kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
) -> None:
    """Validate every rule and source; print the version and counts by severity."""
    kb = _load(kb_path)
    table = Table("severity", "rules", title=f"knowledge base {kb.version}: valid")
    for severity, count in kb.counts_by_severity().items():
        table.add_row(severity.value, str(count))
    table.add_row("[bold]total[/]", f"[bold]{len(kb.rules)}[/]")
    console.print(table)
    console.print(f"{len(kb.sources)} sources, every rule's source resolves.")


@kb_app.command("doc")
def doc(
    output: Path = typer.Option(DEFAULT_DOC, "--output", "-o", help="where to write"),
    check_only: bool = typer.Option(False, "--check", help="fail if the page is stale"),
    kb_path: Path | None = typer.Option(None, "--kb", help="knowledge-base folder"),
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
