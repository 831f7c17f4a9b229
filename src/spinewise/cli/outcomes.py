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
from spinewise.cli.ids import Instrument, JsonFlag, Patient
from spinewise.cli.output import (
    console,
    err_console,
    fail,
    print_json,
    print_secret,
)
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.texts import texts_app
from spinewise.cli.words import _, day, moment, translator
from spinewise.models.outcome import Instrument as InstrumentCode
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
    table = Table(
        _("date"), _("score"), _("band"), _("change"), "", box=None, pad_edge=False
    )
    changes = {c.follow_up.answered_on: c for c in series.changes}
    for response in series.responses:
        s = response.score
        shown = _score(s.score, s.scorable, s.reason)
        if s.risk is not None:
            shown += " · " + _("risk {risk}").format(risk=s.risk.value)
        change = changes.get(response.answered_on)
        table.add_row(
            day(response.answered_on),
            shown,
            s.band or "",
            _("baseline")
            if response is series.responses[0]
            else (f"{change.change:+}" if change else ""),
            (
                f"{change.classification.value}"
                + (_(" (clinically important)") if change.clinically_important else "")
                if change
                else ""
            ),
        )
    console.print(table)
    if series.note:
        console.print(f"[dim]{series.note}[/]")


def _score(score: object, scorable: bool, reason: str | None) -> str:
    if scorable:
        return str(score)
    return _("not scorable ({reason})").format(reason=reason)


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
        patient_id: Patient,
        chart: Path | None = typer.Option(
            None, "--chart", help="write the chart(s) as SVG here"
        ),
        instrument: InstrumentCode | None = typer.Option(
            None, "--instrument", help="only this instrument"
        ),
        as_json: JsonFlag = False,
        user: str | None = user_option(),
    ) -> None:
        """Scores over time and whether the change is clinically important."""
        if chart is not None and chart.suffix.lower() != ".svg":
            fail(_("{file}: --chart writes SVG; name a .svg file").format(file=chart))
        with signed_in(user) as session:
            report = list_outcomes(
                session.store, session.actor, patient_id, translator().language
            )
        series = [s for s in report.series if instrument in (None, s.instrument)]
        if as_json:
            print_json(
                report.model_copy(update={"series": series}).model_dump(mode="json")
            )
        elif not series:
            says = _("patient {id}: no questionnaires answered yet")
            console.print(says.format(id=patient_id))
        for one in [] if as_json else series:
            describe_series(one)
        if chart is not None:
            charted = [s for s in series if s.chart_svg]
            if not charted:
                fail(_("no chart: no scorable questionnaire with a MIC to draw"))
            for path, svg in _chart_paths(chart, charted):
                path.write_text(svg, encoding="utf-8")
                wrote = _("wrote {file}").format(file=path)
                err_console.print(wrote, markup=False, soft_wrap=True)

    app.add_typer(questionnaire_app, name="questionnaire")


@questionnaire_app.command("link")
def link_command(
    patient_id: Patient,
    instrument: Instrument,
    as_json: JsonFlag = False,
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
    if as_json:
        print_json(
            {
                "id": link.id,
                "patient_id": patient_id,
                "instrument": link.instrument.value,
                "url": url,
                "expires_at": link.expires_at.isoformat(),
            }
        )
        return
    print_secret(url)
    says = _(
        "link {id}: {instrument} for patient {patient}, single use, expires {at} UTC"
    ).format(
        id=link.id,
        instrument=link.instrument.value,
        patient=patient_id,
        at=moment(link.expires_at),
    )
    err_console.print(says, markup=False, soft_wrap=True)


@questionnaire_app.command("record")
def record_command(
    patient_id: Patient,
    file: Path = typer.Option(
        ..., "--file", "-f", help="instrument, answered_on, answers"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Store and score a questionnaire the patient filled in on paper."""
    with signed_in(user) as session:
        data = read_document(file)
        stored = record_response(
            session.store, session.actor, patient_id, data, file=str(file)
        )
    if as_json:
        print_json(stored.model_dump(mode="json"))
        return
    s = stored.score
    says = _("response {id}: {instrument} of {day}: {score}").format(
        id=stored.id,
        instrument=stored.instrument.value,
        day=day(stored.answered_on),
        score=_score(s.score, s.scorable, s.reason),
    )
    console.print(says, markup=False, soft_wrap=True)


@questionnaire_app.command("email")
def email_command(
    patient_id: Patient,
    instrument: Instrument,
    as_json: JsonFlag = False,
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
    if as_json:
        print_json(message.model_dump(mode="json"))
        return
    says = _("message {id} queued to {address} ({language})").format(
        id=message.id, address=message.to_address, language=message.language
    )
    console.print(says, markup=False, soft_wrap=True)
