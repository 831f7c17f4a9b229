"""The ``spinewise`` command line (typer + rich).

``COMMANDS`` below is the whole command set, in the order ``--help`` lists it: each
name, the module that registers it through ``register(app)``, and its one-line help.
A command's module is imported only when that command runs or shows its own help, so
``spinewise --help`` starts without the services, the store or polars, and help is
plain text (typer's rich help formatting costs more than all the rest). Errors from the
core become ``file: field: message`` on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import importlib

import typer
from typer._click import (  # typer vendors click
    Command,
    Context,
    HelpFormatter,
    Parameter,
)
from typer.core import TyperCommand, TyperGroup

from spinewise.cli.plain_params import plain_param, plain_params

COMMANDS: dict[str, tuple[str, str]] = {
    "screen": (
        "screen",
        "Screen assessments: verdict, modality statuses, findings, missing answers.",
    ),
    "kb": ("kb", "The knowledge base: validate it and document it."),
    "docs": (
        "reference",
        "Generate the command and settings reference pages (docs/cli.md and "
        "docs/operators/settings.md).",
    ),
    "db": ("db", "The database: migrate it, check it, back it up."),
    "patients": ("records", "Patients of your clinic."),
    "assessments": ("records", "Stored assessments: amend, re-screen."),
    "clearance": (
        "clearance",
        "Physician clearance: request, decide, see what awaits.",
    ),
    "audit": (
        "audit",
        "The clinic's audit trail, newest first (clinic administrators).",
    ),
    "replay": (
        "audit",
        "Re-screen every stored assessment with the KB in force; show what would change.",
    ),
    "demo": ("demo", "Create the demo clinics, users and patients; idempotent."),
    "clinic": ("accounts", "Clinics (operator)."),
    "users": ("accounts", "Users of your clinic (administrators)."),
    "token": ("tokens", "API tokens."),
    "keys": ("keys", "Encryption keys: the two-factor secrets (operator)."),
    "cohort": (
        "cohort",
        "Whole cohorts (Parquet or the store): re-screen, compare KBs, export.",
    ),
    "serve": (
        "serve",
        "Serve the web app: sign in, quick screen, knowledge base, JSON API.",
    ),
    "plan": (
        "plan",
        "The patient's course plan from the latest decision; print it as PDF (the "
        "plan in ``--lang``, the care sheet in the patient's language).",
    ),
    "course": ("course", "A course: end it early (completed early or discontinued)."),
    "report": (
        "report",
        "Letters to the attending physician (PDF): progress report, discharge letter.",
    ),
    "session": ("session", "Session notes: record, amend (new signed version), list."),
    "schedule": (
        "schedule",
        "A plan's schedule: show it, move a session, assign the therapist.",
    ),
    "outcomes": (
        "outcomes",
        "Scores over time and whether the change is clinically important.",
    ),
    "questionnaire": (
        "outcomes",
        "Outcome questionnaires: patient links, paper responses, what is due.",
    ),
    "outbox": ("outbox", "Messages to patients: list, deliver, re-send, cancel."),
    "reminders": (
        "reminders",
        "Questionnaire links due and reminders: send them (for cron or a timer).",
    ),
    "export": ("fhir", "Export records."),
    "import": ("fhir", "Import records."),
    "feedback": ("feedback", "Feedback from EHR users on the CDS Hooks cards."),
}
"""Command name → (module under ``spinewise.cli``, one-line help shown by ``--help``)."""


def load_module_commands(module_name: str) -> TyperGroup:
    """The click commands that one command module registers, built on a scratch app."""
    module = importlib.import_module(f"spinewise.cli.{module_name}")
    scratch = typer.Typer(
        add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None
    )
    module.register(scratch)
    scratch.callback()(lambda: None)  # a group even when the module has one command
    group = typer.main.get_command(scratch)
    assert isinstance(group, TyperGroup)
    return group


class LazyCommands(TyperGroup):
    """The root group: lists ``COMMANDS`` from the table and loads a command's module
    only when the command itself is needed (to run it or to show its own help)."""

    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, summary = COMMANDS[cmd_name]
        if self._listing:
            return TyperCommand(cmd_name, help=summary, short_help=summary)
        command = load_module_commands(module_name).get_command(ctx, cmd_name)
        if command is not None:
            plain_params(command, ctx)
        return command

    def get_params(self, ctx: Context) -> list[Parameter]:
        params = super().get_params(ctx)
        for param in params:  # ``--lang``, ``--quiet``, ``--help`` without pydantic
            plain_param(param)  # (issue 19: see ``plain_params``)
        return params

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="spinewise",
    cls=LazyCommands,
    help="Massage in disc herniation: screening, clearance, course plans and outcomes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help and usage errors in click's plain text: typer's rich formatting imports
    # rich's Markdown, traceback and pretty-printing with markdown-it and pygments,
    # 3-4x the CPU of the rest of ``spinewise --help`` (issue 19). Output stays rich.
    rich_markup_mode=None,
)


def _print_version(asked: bool) -> None:
    if asked:
        from spinewise import __version__

        typer.echo(f"spinewise {__version__}")
        raise typer.Exit()


@app.callback()
def _new_run(
    lang: str | None = typer.Option(
        None,
        "--lang",
        envvar="SPINEWISE_LANG",
        help="language of the human output and errors (en, ru); JSON keeps codes "
        'and gives its human texts in it, with "lang"',
    ),
    quiet: bool = typer.Option(
        False, "--quiet", "-q", help="print only errors (exit status unchanged)"
    ),
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        expose_value=False,
        help="print the version and exit",
    ),
) -> None:
    from spinewise.cli.context import RunOptions, requested_language, start_run
    from spinewise.cli.output import set_quiet

    start_run()  # forget the previous run first: the language is checked against
    set_quiet(quiet)  # this run's settings, and a bad one is an error in English
    start_run(RunOptions(language=requested_language(lang), quiet=quiet))


def main() -> None:
    """Entry point of the ``spinewise`` script."""
    app()


__all__ = ["COMMANDS", "LazyCommands", "app", "load_module_commands", "main"]
