"""``spinewise patients erase`` and ``spinewise patients retention``: erasure on
request, the retention job and the clinic's retention period (administrators)."""

from __future__ import annotations

import datetime as dt
import json

import typer

from spinewise.cli.ids import record_id
from spinewise.cli.output import console, err_console, fail
from spinewise.cli.signin import signed_in, user_option
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
        raise typer.BadParameter(f"one of {REASONS}") from None


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
    as_json: bool = typer.Option(False, "--json", help="one JSON document"),
    user: str | None = user_option(),
) -> None:
    """Erase a patient's personal data (or, with --expired, every patient past the
    retention period); refused during an open course or inside the period."""
    if (patient_id is None) == (not expired):
        fail("give a patient id or --expired, not both")
    why = _reason(reason)
    if not yes and not typer.confirm(
        "Erase the personal data of "
        + ("every expired patient" if expired else f"patient {patient_id}")
        + "? This cannot be undone."
    ):
        raise typer.Exit(1)
    with signed_in(user) as session:
        years = session.settings.retention_years
        if patient_id is None:
            outcome = run_retention(
                session.store,
                session.actor,
                today=dt.date.today(),
                retention_years=years,
            )
            if as_json:
                console.print_json(outcome.model_dump_json())
                return
            for key, message in outcome.refused.items():
                err_console.print(f"patient {key}: {message}", markup=False)
            console.print(f"erased {len(outcome.erased)} patient(s)")
            return
        erase_patient(
            session.store, session.actor, patient_id, reason=why,
            today=dt.date.today(), retention_years=years,
        )  # fmt: skip
    if as_json:
        console.print_json(json.dumps({"erased": [patient_id]}))
        return
    console.print(f"patient {patient_id}: personal data erased")


def retention_command(
    years: int | None = typer.Option(
        None, "--years", min=1, max=100, help="the clinic's own period"
    ),
    default: bool = typer.Option(
        False, "--default", help="follow the deployment's setting again"
    ),
    user: str | None = user_option(),
) -> None:
    """Set how many years your clinic keeps records after the last clinical one."""
    if (years is None) == (not default):
        fail("give --years N or --default")
    with signed_in(user) as session:
        set_clinic_retention(session.store, session.actor, years)
        shown = years or session.settings.retention_years
    console.print(f"records are kept {shown} years after the last clinical record")
