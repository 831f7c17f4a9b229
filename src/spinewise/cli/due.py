"""``spinewise questionnaire due [PATIENT] [--clinic] [--overdue] [--json]``: the
questionnaires of the plans' schedules that are due today or overdue (unanswered);
``spinewise questionnaire cancel LINK`` closes an open link.

Without PATIENT (or with ``--clinic``) it lists the whole clinic of the signed-in
user; with PATIENT only that patient's items.
"""

from __future__ import annotations

import datetime as dt

import typer

from spinewise.cli.ids import JsonFlag, record_id
from spinewise.cli.output import (
    console,
    fail,
    json_rows,
    print_json,
    print_line,
    report,
)
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, day


def due_command(
    patient_id: int | None = typer.Argument(
        None, parser=record_id, metavar="[PATIENT]", help="one patient's items only"
    ),
    clinic: bool = typer.Option(
        False, "--clinic", help="every patient of the clinic (the default)"
    ),
    overdue: bool = typer.Option(
        False, "--overdue", help="only items due before today"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Questionnaires due today or overdue, oldest first, with their link's state."""
    from spinewise.services import list_due

    if clinic and patient_id is not None:
        fail(_("give PATIENT or --clinic, not both"))
    with signed_in(user) as session:
        items = list_due(
            session.store,
            session.actor,
            dt.date.today(),
            patient_id=patient_id,
            overdue_only=overdue,
        )
    if as_json:
        print_json(json_rows(items))
        return
    if not items:
        console.print(_("no questionnaire is due"))
    for item in items:
        state = _("overdue") if item.overdue else _("due")
        patient = _("patient {id} {record}").format(
            id=item.patient.id, record=item.patient.record_number
        )
        link = _("link {state}").format(state=item.link)
        print_line(
            f"{item.id}\t{day(item.due_on)}\t{state}\t{patient}\t"
            f"{item.instrument.value}\t{item.milestone}\t{link}"
        )


def cancel_command(
    link_id: int = typer.Argument(
        ..., parser=record_id, metavar="LINK", help="link id"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Cancel an open questionnaire link: it no longer opens, and a queued e-mail
    or reminder carrying it is not sent."""
    from spinewise.services import cancel_link

    with signed_in(user) as session:
        link = cancel_link(session.store, session.actor, link_id)
    text = _("link {id} ({instrument}, patient {patient}) cancelled").format(
        id=link.id, instrument=link.instrument.value, patient=link.patient_id
    )
    report(as_json, link.model_dump(mode="json"), text)
