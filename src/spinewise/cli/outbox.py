"""``spinewise outbox [--json]``, ``outbox deliver``, ``outbox resend MESSAGE`` and
``outbox cancel MESSAGE``: messages to patients.

Without ``SPINEWISE_SMTP_HOST`` a delivered message goes to the log and is marked
``logged`` ("not sent: no mail server configured").
"""

from __future__ import annotations

import json

import typer

from spinewise.cli.ids import record_id
from spinewise.cli.output import console
from spinewise.cli.signin import signed_in, user_option

outbox_app = typer.Typer(
    help="Messages to patients: list, deliver, re-send, cancel.",
    invoke_without_command=True,
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


@outbox_app.command("resend")
def resend_command(
    message_id: int = typer.Argument(
        ..., parser=record_id, metavar="MESSAGE", help="message id"
    ),
    user: str | None = user_option(),
) -> None:
    """Queue a message again (its link must still be open); ``outbox deliver`` or
    ``reminders run`` sends it."""
    from spinewise.services import resend_message

    with signed_in(user) as session:
        copy = resend_message(session.store, session.actor, message_id)
    console.print(
        f"message {copy.id} queued to {copy.to_address} (again {message_id})",
        markup=False,
        soft_wrap=True,
    )


@outbox_app.command("cancel")
def cancel_command(
    message_id: int = typer.Argument(
        ..., parser=record_id, metavar="MESSAGE", help="message id"
    ),
    user: str | None = user_option(),
) -> None:
    """Cancel an unsent message and close the link it carries."""
    from spinewise.services import cancel_message

    with signed_in(user) as session:
        done = cancel_message(session.store, session.actor, message_id)
    console.print(f"message {done.id} cancelled", markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(outbox_app, name="outbox")
