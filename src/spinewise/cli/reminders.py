"""``spinewise reminders run``: issue and e-mail the questionnaire links that are due
and the reminders of unanswered ones, then deliver the outbox.

A system job for cron or a systemd timer (no signed-in user; every clinic; audited
as the system): idempotent and safe to run concurrently. ``spinewise serve`` can run
the same every ``SPINEWISE_REMINDERS_EVERY_MINUTES``.
"""

from __future__ import annotations

import typer

from spinewise.cli.ids import JsonFlag
from spinewise.cli.outbox import counted_mailer
from spinewise.cli.output import counting, report
from spinewise.cli.signin import database, reported
from spinewise.cli.words import _

reminders_app = typer.Typer(
    help="Questionnaire links due and reminders: send them (for cron or a timer).",
    no_args_is_help=True,
)


@reminders_app.command("run")
def run_command(
    as_json: JsonFlag = False,
) -> None:
    """Send the links due and the reminders due, once each (cron-safe)."""
    from spinewise.services import (
        ReminderSettings,
        instance_secret,
        mail_settings,
        run_reminders,
        smtp_mailer,
    )

    with database() as (settings, store), reported():
        how = ReminderSettings(
            secret=instance_secret(store, settings),
            public_url=settings.public_url,
            sender=settings.mail_from,
            valid_days=settings.questionnaire_link_days,
            remind_after_days=settings.reminder_after_days,
        )
        mailer = smtp_mailer(mail_settings(settings))
        with counting(_("sending messages"), None, hidden=as_json) as advance:
            sending = None if mailer is None else counted_mailer(mailer, advance)
            counts = run_reminders(store, sending, how)
    report(as_json, counts, ", ".join(f"{k} {v}" for k, v in counts.items()))


def register(app: typer.Typer) -> None:
    app.add_typer(reminders_app, name="reminders")
