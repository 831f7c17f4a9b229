"""``spinewise feedback report``: which CDS Hooks cards clinicians override, and why."""

from __future__ import annotations

import datetime as dt

import typer
from rich.table import Table

from spinewise.cli.ids import JsonFlag
from spinewise.cli.output import console, print_json
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, ngettext
from spinewise.services import RuleFeedback, feedback_report

feedback_app = typer.Typer(
    help="Feedback from EHR users on the CDS Hooks cards.", no_args_is_help=True
)


def _reasons(row: RuleFeedback) -> str:
    return "; ".join(
        f"{r.display or r.code or _('(no reason given)')}: {r.count}"
        for r in row.reasons
    )


def _print(rows: list[RuleFeedback]) -> None:
    if not rows:
        console.print(_("no CDS Hooks cards shown in this period"))
        return
    table = Table(
        _("rule"),
        _("shown"),
        _("accepted"),
        _("overridden"),
        _("rate"),
        _("reasons"),
        box=None,
        pad_edge=False,
    )
    for r in rows:
        flag = " [bold red]![/]" if r.overridden_though_not_overridable else ""
        table.add_row(
            r.rule + flag,
            str(r.shown),
            str(r.accepted),
            str(r.overridden),
            f"{r.override_rate:.0%}",
            _reasons(r),
        )
    console.print(table)
    for r in rows:
        if r.overridden_though_not_overridable:
            count = r.overridden_though_not_overridable
            says = ngettext(
                "{rule}: {count} override(s) of a card that offers none (a red "
                "flag): follow up",
                "{rule}: {count} override(s) of a card that offers none (a red "
                "flag): follow up",
                count,
            )
            console.print(
                "[bold red]![/] " + says.format(rule=r.rule, count=count),
            )
        for comment in r.comments:
            console.print(f"  {r.rule}: “{comment}”", markup=False)


@feedback_app.command("report")
def report_command(
    since: dt.datetime | None = typer.Option(
        None, "--since", formats=["%Y-%m-%d"], help="cards shown since DATE (UTC)"
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Per rule: cards shown, accepted, overridden, override rate, reasons, comments
    (physicians and administrators)."""
    start = since.replace(tzinfo=dt.UTC) if since is not None else None
    with signed_in(user) as session:
        rows = feedback_report(session.store, session.actor, since=start)
    if as_json:
        print_json([r.model_dump(mode="json") for r in rows])
    else:
        _print(rows)


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
