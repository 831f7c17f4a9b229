"""``spinewise clinic create``, ``spinewise users add | list | deactivate |
reactivate | role | reset | reset-two-factor | password``,
``spinewise token issue | list | revoke``: who may use Spinewise."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence

import typer
from pydantic import BaseModel
from rich.table import Table

from spinewise.cli.ids import JsonFlag, UserId, record_id
from spinewise.cli.output import console, print_json, print_secret
from spinewise.cli.signin import (
    SignedIn,
    database,
    new_password,
    reported,
    signed_in,
    user_option,
)
from spinewise.cli.words import _
from spinewise.services import (
    Role,
    UserRecord,
    change_password,
    change_role,
    create_clinic,
    create_user,
    issue_api_token,
    list_api_tokens,
    list_users,
    reset_password,
    reset_two_factor,
    revoke_api_token,
    set_user_active,
)

clinic_app = typer.Typer(help="Clinics (operator).", no_args_is_help=True)
users_app = typer.Typer(
    help="Users of your clinic (administrators).", no_args_is_help=True
)
token_app = typer.Typer(help="API tokens.", no_args_is_help=True)


def _report(as_json: bool, document: object, text: str) -> None:
    """What a command did: its JSON document, or one line of words."""
    if as_json:
        print_json(document)
    else:
        console.print(text, markup=False, soft_wrap=True)


def _change_user(
    user: str | None,
    as_json: bool,
    change: Callable[[SignedIn], UserRecord],
    says: str,
) -> None:
    """Sign in, change one user of the clinic, and say so (``says`` is a message with
    ``{id}``, ``{username}`` and ``{role}``) or print the changed user as JSON."""
    with signed_in(user) as session:
        changed = change(session)
    text = says.format(id=changed.id, username=changed.username, role=changed.role)
    _report(as_json, changed.model_dump(mode="json"), text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = Table(*headers, box=None)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _json_rows(records: Sequence[BaseModel]) -> list[object]:
    return [r.model_dump(mode="json") for r in records]


@clinic_app.command("create")
def create_clinic_command(
    name: str = typer.Argument(..., help="the clinic's name"),
    admin: str = typer.Option(
        ..., "--admin", help="username of its first administrator"
    ),
    admin_name: str = typer.Option("Clinic administrator", "--admin-name"),
    as_json: JsonFlag = False,
) -> None:
    """Create a clinic and its first administrator (password: SPINEWISE_NEW_PASSWORD
    or a prompt)."""
    password = new_password(_("password for {user}").format(user=admin))
    with database() as (_settings, store), reported():
        clinic, user = create_clinic(
            store,
            name=name,
            admin_username=admin,
            admin_password=password,
            admin_display_name=admin_name,
        )
    document = {
        "clinic": clinic.model_dump(mode="json"),
        "administrator": user.model_dump(mode="json"),
    }
    text = _("clinic {id} {name!r}: administrator {username}").format(
        id=clinic.id, name=clinic.name, username=user.username
    )
    _report(as_json, document, text)


@users_app.command("add")
def add_user_command(
    username: str = typer.Argument(...),
    role: Role = typer.Option(..., "--role"),
    name: str = typer.Option(..., "--name", help="display name"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Add a user to your clinic (password: SPINEWISE_NEW_PASSWORD or a prompt); it is
    temporary: they must change it at their first sign-in."""

    def add(session: SignedIn) -> UserRecord:
        password = new_password(_("password for {user}").format(user=username))
        return create_user(
            session.store,
            session.actor,
            username=username,
            password=password,
            role=role,
            display_name=name,
        )

    says = _(
        "user {id}: {username} ({role}); they must change the password at their "
        "first sign-in"
    )
    _change_user(user, as_json, add, says)


@users_app.command("list")
def list_users_command(
    as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """The users of your clinic."""
    with signed_in(user) as session:
        users = list_users(session.store, session.actor)
    if as_json:
        print_json(_json_rows(users))
        return
    yes, no = _("yes"), _("no")
    headers = [_("id"), _("username"), _("name"), _("role"), _("active")]
    headers += [_("2fa"), _("temporary pw")]
    rows = [
        [
            str(u.id),
            u.username,
            u.display_name,
            u.role.value,
            yes if u.active else no,
            _("on") if u.totp_enabled else _("off"),
            yes if u.must_change_password else no,
        ]
        for u in users
    ]
    _table(headers, rows)


@users_app.command("deactivate")
def deactivate_command(
    user_id: UserId, as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Deactivate a user of your clinic (takes effect on their next action)."""
    _change_user(
        user,
        as_json,
        lambda s: set_user_active(s.store, s.actor, user_id, False),
        _("user {id} {username} deactivated"),
    )


@users_app.command("reactivate")
def reactivate_command(
    user_id: UserId, as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Reactivate a deactivated user of your clinic."""
    _change_user(
        user,
        as_json,
        lambda s: set_user_active(s.store, s.actor, user_id, True),
        _("user {id} {username} reactivated"),
    )


@users_app.command("role")
def role_command(
    user_id: UserId,
    role: Role = typer.Argument(..., help="the new role"),
    as_json: JsonFlag = False,
    user: str | None = user_option(),
) -> None:
    """Change the role of a user of your clinic (never the last administrator's)."""
    _change_user(
        user,
        as_json,
        lambda s: change_role(s.store, s.actor, user_id, role),
        _("user {id} {username} is now {role}"),
    )


@users_app.command("reset")
def reset_command(
    user_id: UserId, as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Give a user of your clinic a temporary password (printed once) that they must
    change at their next sign-in; their signed-in sessions end."""
    with signed_in(user) as session:
        password = reset_password(session.store, session.actor, user_id)
    if as_json:
        print_json({"user_id": user_id, "temporary_password": password})
        return
    says = _("temporary password for user {id} (shown once):").format(id=user_id)
    console.print(says, markup=False)
    print_secret(password)


@users_app.command("reset-two-factor")
def reset_two_factor_command(
    user_id: UserId, as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Turn off a user's two-factor sign-in (lost phone and recovery codes)."""
    _change_user(
        user,
        as_json,
        lambda s: reset_two_factor(s.store, s.actor, user_id),
        _("user {id} {username}: two-factor sign-in off"),
    )


@users_app.command("password")
def password_command(user: str | None = user_option()) -> None:
    """Change your own password (the new one: SPINEWISE_NEW_PASSWORD or a prompt);
    your other signed-in sessions end."""
    with signed_in(user, temporary_ok=True) as session:
        current = os.environ.get("SPINEWISE_PASSWORD") or typer.prompt(
            _("current password"), hide_input=True
        )
        new = new_password(_("new password"))
        change_password(session.store, session.actor, current, new)
    text = _("password of {user} changed").format(user=session.actor.username)
    console.print(text, markup=False)


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
    expires = f"{issued.expires_at:%Y-%m-%d %H:%M} UTC" if issued.expires_at else "-"
    says = _("token {id} for user {user} ({label}), expires {expires}:").format(
        id=issued.id, user=issued.user_id, label=issued.label, expires=expires
    )
    console.print(says, markup=False)
    print_secret(issued.token)


def _when(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


@token_app.command("list")
def list_tokens_command(
    as_json: JsonFlag = False, user: str | None = user_option()
) -> None:
    """Your API tokens (administrators: every token of the clinic), never the tokens
    themselves."""
    with signed_in(user) as session:
        tokens = list_api_tokens(session.store, session.actor)
    if as_json:
        print_json(_json_rows(tokens))
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
    _table(headers, rows)


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
    _report(as_json, {"id": token_id, "revoked": True}, text)


def register(app: typer.Typer) -> None:
    app.add_typer(clinic_app, name="clinic")
    app.add_typer(users_app, name="users")
    app.add_typer(token_app, name="token")
