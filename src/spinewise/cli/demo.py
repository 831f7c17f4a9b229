"""``spinewise demo``: seed a demo clinic (and a second one) to try Spinewise on."""

from __future__ import annotations

import typer
from rich.table import Table

from spinewise.cli.output import console, fail
from spinewise.cli.signin import database, reported
from spinewise.kb import load_kb
from spinewise.services import seed_demo

KEPT = "(unchanged; --new-passwords to reset)"


def demo_command(
    new_passwords: bool = typer.Option(
        False,
        "--new-passwords",
        help="give the demo users who already exist new passwords too",
    ),
) -> None:
    """Create the demo clinics, users and patients; idempotent. Each new demo user
    gets a random password, printed once (only its hash is stored)."""
    with database() as (settings, store), reported():
        if settings.mode == "production":
            fail("the demo prints its users' passwords: refused in production mode")
        summary = seed_demo(
            store, load_kb(settings.kb_path), new_passwords=new_passwords
        )
    typer.echo("Demo users (username / password, shown once; only hashes are kept):")
    for u in summary.users:
        password = summary.passwords.get(u.username, KEPT)
        typer.echo(f"  {u.clinic}: {u.username} / {password}  ({u.role.value})")
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
