"""``spinewise outbox [--json]``, ``spinewise outbox deliver`` and ``spinewise
questionnaire email PATIENT INSTRUMENT``: messages to patients.

Without ``SPINEWISE_SMTP_HOST`` a delivered message goes to the log and is marked
``logged`` ("not sent: no mail server configured").
"""

from __future__ import annotations

import json

import typer

from spinewise.cli.output import console
from spinewise.cli.signin import signed_in, user_option

outbox_app = typer.Typer(
    help="Messages to patients: list, deliver.", invoke_without_command=True
)


@outbox_app.callback()
def list_command(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
    user: str | None = user_option(),
) -> None:
    """The clinic's messages, newest first, with status, attempts and last error."""
    if ctx.invoked_subcommand is not None:
        return
    from spinewise.services import list_outbox

    with signed_in(user) as session:
        messages = list_outbox(session.store, session.actor)
    if as_json:
        typer.echo(json.dumps([m.model_dump(mode="json") for m in messages], indent=2))
        return
    if not messages:
        console.print("the outbox is empty")
    for m in messages:
        typer.echo(
            f"{m.id}\t{m.status}\tpatient {m.patient_id}\t{m.kind}\t"
            f"attempts {m.attempts}\t{m.last_error or ''}"
        )


@outbox_app.command("deliver")
def deliver_command(user: str | None = user_option()) -> None:
    """Send every due message once (safe to run from cron, also concurrently)."""
    from spinewise.services import deliver_outbox, mail_settings, smtp_mailer

    with signed_in(user) as session:
        mail = mail_settings(session.settings)
        counts = deliver_outbox(
            session.store,
            smtp_mailer(mail),
            sender=session.settings.mail_from,
        )
    console.print(
        ", ".join(f"{k} {v}" for k, v in counts.items()), markup=False, soft_wrap=True
    )


def register(app: typer.Typer) -> None:
    app.add_typer(outbox_app, name="outbox")
