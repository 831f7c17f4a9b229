"""``spinewise demo``: seed a demo clinic (and a second one) to try Spinewise on."""

from __future__ import annotations

import typer
from rich.table import Table

from spinewise.cli.output import console, fail
from spinewise.cli.signin import database, reported
from spinewise.kb import load_kb
from spinewise.services import seed_demo


def demo_command() -> None:
    """Create the demo clinics, users (passwords printed) and patients; idempotent."""
    with database() as (settings, store), reported():
        if settings.mode == "production":
            fail("the demo has published passwords: refused in production mode")
        summary = seed_demo(store, load_kb(settings.kb_path))
    users = Table("clinic", "username", "role", "password", title="demo users")
    for u in summary.users:
        users.add_row(u.clinic, u.username, u.role.value, u.password)
    console.print(users)
    patients = Table("clinic", "patient", "record", "verdict", title="demo patients")
    for p in summary.patients:
        verdict = p.verdict.value if p.verdict else f"(kept) {p.expected.value}"
        patients.add_row(p.clinic, str(p.patient_id), p.record_number, verdict)
    console.print(patients)
    console.print(
        f"{summary.added} patient(s) added. Try: SPINEWISE_USER=therapist "
        "spinewise patients list"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
