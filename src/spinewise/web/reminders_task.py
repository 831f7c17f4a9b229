"""``spinewise serve`` running the reminders job every
``SPINEWISE_REMINDERS_EVERY_MINUTES`` (0, the default: never; use cron instead).

A background task of the app's lifespan: the first run soon after start, then one
every interval, each in a worker thread. A run's failure is logged and the next run
still happens. Several servers on one database may all run it: the job is safe to
run concurrently (see ``services.run_reminders``).
"""

from __future__ import annotations

import asyncio
import logging

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from spinewise.config import Settings
from spinewise.services import (
    Interface,
    ReminderSettings,
    mail_settings,
    run_reminders,
    smtp_mailer,
)

LOGGER = logging.getLogger("spinewise.reminders")
FIRST_RUN_SECONDS = 1.0


def _run_once(app: FastAPI) -> dict[str, int]:
    settings: Settings = app.state.settings
    how = ReminderSettings(
        secret=app.state.secret,
        public_url=settings.public_url,
        sender=settings.mail_from,
        valid_days=settings.questionnaire_link_days,
        remind_after_days=settings.reminder_after_days,
        interface=Interface.WEB,
    )
    return run_reminders(app.state.store, smtp_mailer(mail_settings(settings)), how)


async def run_periodically(app: FastAPI, every_seconds: float) -> None:
    """Run the reminders job now and then every ``every_seconds``, until cancelled."""
    await asyncio.sleep(FIRST_RUN_SECONDS)
    while True:
        try:
            counts = await run_in_threadpool(_run_once, app)
            LOGGER.info("reminders run: %s", counts)
        except Exception:  # keep the schedule; the error is in the log
            LOGGER.exception("reminders run failed")
        await asyncio.sleep(every_seconds)


def start_reminders(app: FastAPI) -> asyncio.Task[None] | None:
    """The background task, when the settings ask for one."""
    minutes = app.state.settings.reminders_every_minutes
    if minutes <= 0:
        return None
    return asyncio.create_task(run_periodically(app, minutes * 60.0))
