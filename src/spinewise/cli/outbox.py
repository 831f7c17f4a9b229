"""``spinewise outbox [--json]``, ``outbox deliver``, ``outbox resend MESSAGE`` and
``outbox cancel MESSAGE``: messages to patients.

Without ``SPINEWISE_SMTP_HOST`` a delivered message goes to the log and is marked
``logged`` ("not sent: no mail server configured").
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import TYPE_CHECKING

import typer

from spinewise.cli.ids import JsonFlag, record_id
from spinewise.cli.output import (
    Advance,
    console,
    counting,
    print_json,
    print_line,
    report,
)
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _

if TYPE_CHECKING:
    from spinewise.services import Mailer

outbox_app = typer.Typer(
    help="Messages to patients: list, deliver, re-send, cancel.",
    invoke_without_command=True,
)


@outbox_app.callback()
def list_command(
    ctx: typer.Context,
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """The clinic's messages, newest first, with status, attempts and last error."""
    if ctx.invoked_subcommand is not None:
        return
    from spinewise.services import list_outbox

    with signed_in(user) as session:
        messages = list_outbox(session.store, session.actor)
    if as_json:
        print_json([m.model_dump(mode="json") for m in messages])
        return
    if not messages:
        console.print(_("the outbox is empty"))
    for m in messages:
        patient = _("patient {id}").format(id=m.patient_id)
        attempts = _("attempts {count}").format(count=m.attempts)
        print_line(
            f"{m.id}\t{m.status}\t{patient}\t{m.kind}\t{attempts}\t{m.last_error or ''}"
        )


def counted_mailer(mailer: Mailer, advance: Advance) -> Mailer:
    """The mailer, advancing the progress bar by one per message it sends."""

    def send(message: EmailMessage) -> None:
        mailer(message)
        advance(1)

    return send


@outbox_app.command("deliver")
def deliver_command(
    as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Send every due message once (safe to run from cron, also concurrently)."""
    from spinewise.services import deliver_outbox, mail_settings, smtp_mailer

    with signed_in(user) as session:
        mailer = smtp_mailer(mail_settings(session.settings))
        with counting(_("sending messages"), None, hidden=as_json) as advance:
            counts = deliver_outbox(
                session.store,
                None if mailer is None else counted_mailer(mailer, advance),
                sender=session.settings.mail_from,
            )
    if as_json:
        print_json(counts)
        return
    console.print(
        ", ".join(f"{k} {v}" for k, v in counts.items()), markup=False, soft_wrap=True
    )


@outbox_app.command("resend")
def resend_command(
    message_id: int = typer.Argument(
        ..., parser=record_id, metavar="MESSAGE", help="message id"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Queue a message again (its link must still be open); ``outbox deliver`` or
    ``reminders run`` sends it."""
    from spinewise.services import resend_message

    with signed_in(user) as session:
        copy = resend_message(session.store, session.actor, message_id)
    text = _("message {id} queued to {address} (again {original})").format(
        id=copy.id, address=copy.to_address, original=message_id
    )
    report(as_json, copy.model_dump(mode="json"), text)


@outbox_app.command("cancel")
def cancel_command(
    message_id: int = typer.Argument(
        ..., parser=record_id, metavar="MESSAGE", help="message id"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Cancel an unsent message and close the link it carries."""
    from spinewise.services import cancel_message

    with signed_in(user) as session:
        done = cancel_message(session.store, session.actor, message_id)
    text = _("message {id} cancelled").format(id=done.id)
    report(as_json, done.model_dump(mode="json"), text)


def register(app: typer.Typer) -> None:
    app.add_typer(outbox_app, name="outbox")
