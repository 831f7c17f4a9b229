"""``spinewise demo``: seed a demo clinic (and a second one) to try Spinewise on."""

from __future__ import annotations

import dataclasses

import typer
from rich.table import Table

from spinewise.cli.ids import JsonFlag
from spinewise.cli.output import console, fail, print_json, print_secret
from spinewise.cli.signin import database, reported
from spinewise.cli.words import _, ngettext
from spinewise.kb import load_kb
from spinewise.services import seed_demo


def demo_command(
    new_passwords: bool = typer.Option(
        False,
        "--new-passwords",
        help="give the demo users who already exist new passwords too",
    ),
    as_json: JsonFlag = False,
) -> None:
    """Create the demo clinics, users and patients; idempotent. Each new demo user
    gets a random password, printed once (only its hash is stored)."""
    with database() as (settings, store), reported():
        if settings.mode == "production":
            fail(_("the demo prints its users' passwords: refused in production mode"))
        summary = seed_demo(
            store, load_kb(settings.kb_path), new_passwords=new_passwords
        )
    if as_json:
        print_json({**dataclasses.asdict(summary), "added": summary.added})
        return
    kept = _("(unchanged; --new-passwords to reset)")
    print_secret(
        _("Demo users (username / password, shown once; only hashes are kept):")
    )
    for u in summary.users:
        password = summary.passwords.get(u.username, kept)
        print_secret(f"  {u.clinic}: {u.username} / {password}  ({u.role.value})")
    patients = Table(
        _("clinic"), _("patient"), _("record"), _("verdict"), title=_("demo patients")
    )
    for p in summary.patients:
        verdict = p.verdict.value if p.verdict else f"({_('kept')}) {p.expected.value}"
        patients.add_row(p.clinic, str(p.patient_id), p.record_number, verdict)
    console.print(patients)
    added = ngettext(
        "{count} patient(s) added. Try: SPINEWISE_USER=therapist spinewise "
        "patients list",
        "{count} patient(s) added. Try: SPINEWISE_USER=therapist spinewise "
        "patients list",
        summary.added,
    )
    console.print(added.format(count=summary.added), markup=False)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
