"""``spinewise report progress|discharge PATIENT --out FILE``: letters to the attending
physician as PDF, in the clinician's language (``--lang`` or ``SPINEWISE_LANG``).

The language option is shared with the other PDF commands (``patients export --format
pdf``, ``plan --pdf``): an unknown or disabled language exits 2 naming ``--lang``.
"""

from __future__ import annotations

from pathlib import Path

import typer

from spinewise.cli.context import current_settings, run_options
from spinewise.cli.ids import record_id
from spinewise.cli.output import err_console, fail
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _
from spinewise.errors import InputError
from spinewise.i18n import DEFAULT_LANGUAGE, parse_language, parse_languages
from spinewise.reports import LetterKind
from spinewise.services import physician_letter

report_app = typer.Typer(
    help="Letters to the attending physician (PDF): progress report, discharge letter.",
    no_args_is_help=True,
)


def lang_option() -> str | None:
    """The ``--lang`` option of a command that writes a document."""
    value: str | None = typer.Option(
        None,
        "--lang",
        envvar="SPINEWISE_LANG",
        help="language of the document (en, ru); default English",
    )
    return value


def document_language(code: str | None) -> str:
    """The language ``--lang`` names among the enabled ones (exit 2 otherwise); without
    one, the run's language (the global ``--lang``/``SPINEWISE_LANG``)."""
    if code is None:
        return run_options().language or DEFAULT_LANGUAGE
    try:
        enabled = parse_languages(
            current_settings().languages, field="SPINEWISE_LANGUAGES"
        )
        return parse_language(code, field="--lang", enabled=enabled)
    except InputError as exc:
        fail(exc)


def _letter(
    kind: LetterKind, patient_id: int, out: Path, lang: str | None, user: str | None
) -> None:
    language = document_language(lang)
    with signed_in(user) as session:
        document = physician_letter(
            session.store, session.actor, patient_id, kind, session.kb(),
            language=language,
        )  # fmt: skip
    out.write_bytes(document)
    err_console.print(_("wrote {file}").format(file=out), markup=False, soft_wrap=True)


@report_app.command("progress")
def progress_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    out: Path = typer.Option(..., "--out", help="write the PDF here"),
    lang: str | None = lang_option(),
    user: str | None = user_option(),
) -> None:
    """The progress report to the attending physician (decision, clearance, sessions, stop events, outcomes)."""
    _letter(LetterKind.PROGRESS, patient_id, out, lang, user)


@report_app.command("discharge")
def discharge_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    out: Path = typer.Option(..., "--out", help="write the PDF here"),
    lang: str | None = lang_option(),
    user: str | None = user_option(),
) -> None:
    """The discharge letter to the attending physician at the end of the course."""
    _letter(LetterKind.DISCHARGE, patient_id, out, lang, user)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
