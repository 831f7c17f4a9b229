"""``spinewise token issue | list | revoke``: API tokens, shown once, stored as hashes."""

from __future__ import annotations

import datetime as dt

import typer

from spinewise.cli.ids import JsonFlag, record_id
from spinewise.cli.output import (
    console,
    json_rows,
    print_json,
    print_secret,
    print_table,
    report,
)
from spinewise.cli.signin import signed_in, user_option
from spinewise.cli.words import _, moment
from spinewise.services import issue_api_token, list_api_tokens, revoke_api_token

token_app = typer.Typer(help="API tokens.", no_args_is_help=True)


@token_app.command("issue")
def issue_token_command(
    for_user: int | None = typer.Option(
        None, "--for", help="user id (admins)", parser=record_id
    ),
    label: str = typer.Option("api", "--label"),
    days: int | None = typer.Option(
        None,
        "--days",
        min=1,
        max=3650,
        help="days until it expires (default SPINEWISE_TOKEN_DAYS, 90)",
    ),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Issue an API token; it is shown once, only its hash is stored."""
    with signed_in(user) as session:
        lifetime = dt.timedelta(days=days or session.settings.token_days)
        issued = issue_api_token(
            session.store,
            session.actor,
            user_id=for_user,
            label=label,
            expires_at=dt.datetime.now(dt.UTC) + lifetime,
        )
    if as_json:
        print_json(issued.model_dump(mode="json"))
        return
    expires = f"{moment(issued.expires_at)} UTC" if issued.expires_at else "-"
    says = _("token {id} for user {user} ({label}), expires {expires}:").format(
        id=issued.id, user=issued.user_id, label=issued.label, expires=expires
    )
    console.print(says, markup=False)
    print_secret(issued.token)


def _when(at: dt.datetime | None) -> str:
    return "-" if at is None else moment(at)


@token_app.command("list")
def list_tokens_command(
    as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Your API tokens (administrators: every token of the clinic), never the tokens
    themselves."""
    with signed_in(user) as session:
        tokens = list_api_tokens(session.store, session.actor)
    if as_json:
        print_json(json_rows(tokens))
        return
    headers = [_("id"), _("user"), _("label"), _("created"), _("expires")]
    headers += [_("last used"), _("status")]
    rows = [
        [
            str(t.id),
            t.username,
            t.label,
            _when(t.created_at),
            _when(t.expires_at),
            _when(t.last_used_at),
            t.status,
        ]
        for t in tokens
    ]
    print_table(headers, rows)


@token_app.command("revoke")
def revoke_token_command(
    token_id: int = typer.Argument(..., min=1, help="the token's id (token list)"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Revoke an API token (yours; administrators: any of the clinic's); refused
    from the next request on."""
    with signed_in(user) as session:
        revoke_api_token(session.store, session.actor, token_id)
    text = _("token {id} revoked").format(id=token_id)
    report(as_json, {"id": token_id, "revoked": True}, text)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
