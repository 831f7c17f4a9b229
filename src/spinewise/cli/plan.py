"""``spinewise plan PATIENT [--pdf FILE] [--care-sheet FILE]``: the patient's course plan.

Shows the active plan made from the patient's latest decision, or issues one
(``--new`` always issues; ``--start`` and ``--modality`` issue with those choices).
A plan is refused, with the reason, without a valid physician approval or while a
session's stop rules wait for re-screening.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.context import run_options
from spinewise.cli.ids import JsonFlag, Patient
from spinewise.cli.output import console, err_console, print_json
from spinewise.cli.report import document_language, lang_option
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, day
from spinewise.i18n import DEFAULT_LANGUAGE, Translator
from spinewise.kb import KnowledgeBase, technique_words
from spinewise.models import Modality
from spinewise.planning import reworded_check
from spinewise.services import (
    PlanRecord,
    export_care_sheet_pdf,
    export_plan_pdf,
    issue_plan,
)


def describe_plan(record: PlanRecord, kb: KnowledgeBase | None = None) -> None:
    """The plan's status, courses and zones to avoid, for the terminal; with ``kb``,
    the stored plan's technique texts in the run's language (looked up by their
    English wording; the planner's own phrases reworded)."""
    plan = record.plan
    language = run_options().language or DEFAULT_LANGUAGE
    words = technique_words(kb, language) if kb is not None else {}
    tr = Translator(language)

    def kb_text(text: str) -> str:
        return words.get(text, text)

    heading = _("plan {id}").format(id=record.id)
    rest = _(
        "patient {patient} · {status} · from decision {decision} · starts {start} · "
        "kb {kb}"
    ).format(
        patient=record.patient_id,
        status=record.status.value,
        decision=record.decision_id,
        start=day(plan.start_date),
        kb=record.kb_version,
    )
    console.print(f"[bold]{heading}[/] · {rest}")
    if record.suspended_reason:
        suspended = _("suspended:")
        console.print(f"[bold red]{suspended}[/] {record.suspended_reason}")
    if record.suspended_modalities:
        names = ", ".join(m.value for m in record.suspended_modalities)
        until = _("modalities suspended until reviewed:")
        console.print(f"[bold yellow]{until}[/] {names}")
    table = Table(
        _("modality"), _("sessions"), _("first"), _("last"), _("frequency"), box=None
    )
    for course in plan.courses:
        table.add_row(
            kb_text(course.name),
            str(len(course.sessions)),
            day(course.sessions[0].date),
            day(course.sessions[-1].date),
            kb_text(course.frequency),
        )
    console.print(table)
    console.print("[bold]" + _("zones to avoid") + "[/]")
    for zone in plan.zones_to_avoid():
        console.print(
            f"  ✘ {kb_text(zone.label)} [dim]({', '.join(zone.rules) or zone.source})[/]"
        )
    for course in plan.courses:
        for change in course.changes:
            console.print(
                f"  [dim]{course.modality.value}: {change.rule}[/] "
                + reworded_check(change.change, tr, kb_text)
            )


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def plan_command(
        patient_id: Patient,
        pdf: Path | None = typer.Option(None, "--pdf", help="write the plan PDF here"),
        care_sheet: Path | None = typer.Option(
            None, "--care-sheet", help="write the patient's care sheet PDF here"
        ),
        start: dt.datetime | None = typer.Option(
            None, "--start", formats=["%Y-%m-%d"], help="first session day (new plan)"
        ),
        modality: list[Modality] = typer.Option(
            [], "--modality", help="plan only this modality (new plan; repeatable)"
        ),
        new: bool = typer.Option(False, "--new", help="issue a new plan"),
        lang: str | None = lang_option(),
        as_json: JsonFlag = False,
        user: str | None = user_option(),
    ) -> None:
        """The patient's course plan from the latest decision; print it as PDF (the
        plan in ``--lang``, the care sheet in the patient's language)."""
        language = document_language(lang)
        with signed_in(user) as session:
            kb = session.kb()
            record = issue_plan(
                session.store,
                session.actor,
                patient_id,
                kb,
                start_date=start.date() if start else None,
                modalities=list(modality) or None,
                reuse_current=not new,
            )
            written = []
            if pdf is not None:
                pdf.write_bytes(
                    export_plan_pdf(
                        session.store,
                        session.actor,
                        record.id,
                        kb=kb,
                        language=language,
                    )
                )
                written.append(pdf)
            if care_sheet is not None:
                document = export_care_sheet_pdf(
                    session.store, session.actor, record.id, kb=kb
                )
                care_sheet.write_bytes(document)
                written.append(care_sheet)
        if as_json:
            print_json(record.model_dump(mode="json"))
        else:
            describe_plan(record, kb)
        for path in written:
            wrote = _("wrote {file}").format(file=path)
            err_console.print(wrote, markup=False, soft_wrap=True)
