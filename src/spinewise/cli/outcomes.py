"""``spinewise outcomes PATIENT [--chart FILE]`` and ``spinewise questionnaire ...``.

``outcomes`` prints each instrument's scores over time and whether the change from
the baseline is clinically important; ``--chart FILE.svg`` writes the chart with the
MIC band (one file per instrument, ``FILE-odi.svg`` ..., when there are several).
``questionnaire link PATIENT INSTRUMENT`` makes a single-use link for the patient;
``questionnaire record PATIENT --file RESPONSE.yaml`` stores one filled in on paper;
``questionnaire texts import FILE`` imports the clinic's licensed texts (``texts.py``);
``questionnaire due`` lists what the plans' schedules make due (``due.py``).
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from spinewise.cli.due import cancel_command, due_command
from spinewise.cli.files import read_document
from spinewise.cli.ids import record_id
from spinewise.cli.output import console, err_console, fail
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.texts import texts_app
from spinewise.models.outcome import Instrument
from spinewise.services import (
    OutcomeSeries,
    create_questionnaire_link,
    instance_secret,
    list_outcomes,
    questionnaire_url,
    record_response,
)

questionnaire_app = typer.Typer(
    help="Outcome questionnaires: patient links, paper responses, what is due.",
    no_args_is_help=True,
)
questionnaire_app.add_typer(texts_app, name="texts")
questionnaire_app.command("due")(due_command)
questionnaire_app.command("cancel")(cancel_command)


def describe_series(series: OutcomeSeries) -> None:
    console.print(f"\n[bold]{series.name}[/]")
    table = Table("date", "score", "band", "change", "", box=None, pad_edge=False)
    changes = {c.follow_up.answered_on: c for c in series.changes}
    for response in series.responses:
        s = response.score
        shown = str(s.score) if s.scorable else f"not scorable ({s.reason})"
        if s.risk is not None:
            shown += f" · risk {s.risk.value}"
        change = changes.get(response.answered_on)
        table.add_row(
            response.answered_on.isoformat(),
            shown,
            s.band or "",
            "baseline"
            if response is series.responses[0]
            else (f"{change.change:+}" if change else ""),
            (
                f"{change.classification.value}"
                + (" (clinically important)" if change.clinically_important else "")
                if change
                else ""
            ),
        )
    console.print(table)
    if series.note:
        console.print(f"[dim]{series.note}[/]")


def _chart_paths(target: Path, charted: list[OutcomeSeries]) -> list[tuple[Path, str]]:
    if len(charted) == 1:
        return [(target, charted[0].chart_svg or "")]
    return [
        (
            target.with_name(f"{target.stem}-{s.instrument.value}{target.suffix}"),
            s.chart_svg or "",
        )
        for s in charted
    ]


def register(app: typer.Typer) -> None:
    @app.command("outcomes")
    def outcomes_command(
        patient_id: int = typer.Argument(
            ..., parser=record_id, metavar="PATIENT", help="patient id"
        ),
        chart: Path | None = typer.Option(
            None, "--chart", help="write the chart(s) as SVG here"
        ),
        instrument: Instrument | None = typer.Option(
            None, "--instrument", help="only this instrument"
        ),
        as_json: bool = typer.Option(False, "--json", help="print JSON"),
        user: str | None = user_option(),
    ) -> None:
        """Scores over time and whether the change is clinically important."""
        if chart is not None and chart.suffix.lower() != ".svg":
            fail(f"{chart}: --chart writes SVG; name a .svg file")
        with signed_in(user) as session:
            report = list_outcomes(session.store, session.actor, patient_id)
        series = [s for s in report.series if instrument in (None, s.instrument)]
        if as_json:
            typer.echo(
                report.model_copy(update={"series": series}).model_dump_json(indent=2)
            )
        elif not series:
            console.print(f"patient {patient_id}: no questionnaires answered yet")
        for one in [] if as_json else series:
            describe_series(one)
        if chart is not None:
            charted = [s for s in series if s.chart_svg]
            if not charted:
                fail("no chart: no scorable questionnaire with a MIC to draw")
            for path, svg in _chart_paths(chart, charted):
                path.write_text(svg, encoding="utf-8")
                err_console.print(f"wrote {path}", markup=False, soft_wrap=True)

    app.add_typer(questionnaire_app, name="questionnaire")


@questionnaire_app.command("link")
def link_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    instrument: Instrument = typer.Argument(
        ..., metavar="INSTRUMENT", help="nrs, odi, rmdq, ndi or startback"
    ),
    user: str | None = user_option(),
) -> None:
    """A single-use, expiring link for the patient to answer one questionnaire."""
    with signed_in(user) as session:
        settings = session.settings
        link = create_questionnaire_link(
            session.store,
            session.actor,
            patient_id,
            instrument,
            secret=instance_secret(session.store, settings),
            valid_days=settings.questionnaire_link_days,
        )
    url = questionnaire_url(settings.public_url, link.token)
    console.print(url, markup=False, soft_wrap=True)
    err_console.print(
        f"link {link.id}: {link.instrument.value} for patient {patient_id}, "
        f"single use, expires {link.expires_at:%Y-%m-%d %H:%M} UTC",
        markup=False,
        soft_wrap=True,
    )


@questionnaire_app.command("record")
def record_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    file: Path = typer.Option(
        ..., "--file", "-f", help="instrument, answered_on, answers"
    ),
    user: str | None = user_option(),
) -> None:
    """Store and score a questionnaire the patient filled in on paper."""
    with signed_in(user) as session:
        data = read_document(file)
        stored = record_response(
            session.store, session.actor, patient_id, data, file=str(file)
        )
    s = stored.score
    shown = str(s.score) if s.scorable else f"not scorable ({s.reason})"
    console.print(
        f"response {stored.id}: {stored.instrument.value} of "
        f"{stored.answered_on.isoformat()}: {shown}",
        markup=False,
        soft_wrap=True,
    )


@questionnaire_app.command("email")
def email_command(
    patient_id: int = typer.Argument(
        ..., parser=record_id, metavar="PATIENT", help="patient id"
    ),
    instrument: Instrument = typer.Argument(
        ..., metavar="INSTRUMENT", help="nrs, odi, rmdq, ndi or startback"
    ),
    user: str | None = user_option(),
) -> None:
    """Queue an e-mail with a new link (needs the patient's e-mail and consent to
    be contacted) and its reminder; ``spinewise outbox deliver`` sends it."""
    from spinewise.services import email_link

    with signed_in(user) as session:
        settings = session.settings
        message = email_link(
            session.store,
            session.actor,
            patient_id,
            instrument,
            secret=instance_secret(session.store, settings),
            valid_days=settings.questionnaire_link_days,
            public_url=settings.public_url,
            remind_after_days=settings.reminder_after_days,
        )
    console.print(
        f"message {message.id} queued to {message.to_address} ({message.language})",
        markup=False,
        soft_wrap=True,
    )
