"""``spinewise patients erase`` and ``spinewise patients retention``: erasure on
request, the retention job and the clinic's retention period (administrators)."""

from __future__ import annotations

import datetime as dt

import typer

from spinewise.cli.ids import JsonFlag, record_id
from spinewise.cli.output import counting, err_console, fail, report
from spinewise.cli.signin import SignedIn, signed_in, user_option
from spinewise.cli.words import _, ngettext
from spinewise.services import (
    ErasureReason,
    erase_patient,
    run_retention,
    set_clinic_retention,
)

REASONS = ", ".join(r.value for r in ErasureReason)


def _reason(text: str) -> ErasureReason:
    try:
        return ErasureReason(text)
    except ValueError:
        raise typer.BadParameter(_("one of {codes}").format(codes=REASONS)) from None


def _confirmed(patient_id: int | None) -> bool:
    if patient_id is None:
        question = _(
            "Erase the personal data of every expired patient? This cannot be undone."
        )
    else:
        question = _(
            "Erase the personal data of patient {id}? This cannot be undone."
        ).format(id=patient_id)
    return typer.confirm(question)


def _expired(session: SignedIn, as_json: bool) -> None:
    """The retention job: every patient past the period, one transaction each."""
    with counting(_("erasing expired patients"), None, hidden=as_json) as advance:
        outcome = run_retention(
            session.store,
            session.actor,
            today=dt.date.today(),
            retention_years=session.settings.retention_years,
            advance=advance,
        )
    if not as_json:
        for key, message in outcome.refused.items():
            left = _("patient {id}: {error}").format(id=key, error=message)
            err_console.print(left, markup=False, soft_wrap=True)
    count = len(outcome.erased)
    text = ngettext("erased {count} patient", "erased {count} patients", count)
    report(as_json, outcome.model_dump(mode="json"), text.format(count=count))


def erase_command(
    patient_id: int | None = typer.Argument(
        None, help="patient id (leave out with --expired)", parser=record_id
    ),
    reason: str = typer.Option(
        ErasureReason.PATIENT_REQUEST.value, "--reason", help=f"one of {REASONS}"
    ),
    expired: bool = typer.Option(
        False, "--expired", help="the retention job: every patient past the period"
    ),
    yes: bool = typer.Option(False, "--yes", help="do not ask for confirmation"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Erase a patient's personal data (or, with --expired, every patient past the
    retention period); refused during an open course or inside the period."""
    if (patient_id is None) == (not expired):
        fail(_("give a patient id or --expired, not both"))
    why = _reason(reason)
    if not yes and not _confirmed(patient_id):
        raise typer.Exit(1)
    with signed_in(user) as session:
        if patient_id is None:
            _expired(session, as_json)
            return
        erase_patient(
            session.store, session.actor, patient_id, reason=why,
            today=dt.date.today(), retention_years=session.settings.retention_years,
        )  # fmt: skip
    text = _("patient {id}: personal data erased").format(id=patient_id)
    report(as_json, {"erased": [patient_id]}, text)


def retention_command(
    years: int | None = typer.Option(
        None, "--years", min=1, max=100, help="the clinic's own period"
    ),
    default: bool = typer.Option(
        False, "--default", help="follow the deployment's setting again"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Set how many years your clinic keeps records after the last clinical one."""
    if (years is None) == (not default):
        fail(_("give --years N or --default"))
    with signed_in(user) as session:
        set_clinic_retention(session.store, session.actor, years)
        shown = years or session.settings.retention_years
    text = ngettext(
        "records are kept {count} year after the last clinical record",
        "records are kept {count} years after the last clinical record",
        shown,
    ).format(count=shown)
    document = {"retention_years": shown, "clinic_own": years is not None}
    report(as_json, document, text)
