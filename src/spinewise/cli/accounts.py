"""``spinewise clinic create``, ``spinewise users add | list | deactivate |
reactivate | role | reset | reset-two-factor | password``,
``spinewise token issue | list | revoke``: who may use Spinewise."""

from __future__ import annotations

import datetime as dt
import os

import typer
from rich.table import Table

from spinewise.cli.ids import record_id
from spinewise.cli.output import console
from spinewise.cli.signin import (
    database,
    new_password,
    reported,
    signed_in,
    user_option,
)
from spinewise.services import (
    Role,
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


@clinic_app.command("create")
def create_clinic_command(
    name: str = typer.Argument(..., help="the clinic's name"),
    admin: str = typer.Option(
        ..., "--admin", help="username of its first administrator"
    ),
    admin_name: str = typer.Option("Clinic administrator", "--admin-name"),
) -> None:
    """Create a clinic and its first administrator (password: SPINEWISE_NEW_PASSWORD
    or a prompt)."""
    password = new_password(f"password for {admin}")
    with database() as (_, store), reported():
        clinic, user = create_clinic(
            store,
            name=name,
            admin_username=admin,
            admin_password=password,
            admin_display_name=admin_name,
        )
    console.print(f"clinic {clinic.id} {clinic.name!r}: administrator {user.username}")


@users_app.command("add")
def add_user_command(
    username: str = typer.Argument(...),
    role: Role = typer.Option(..., "--role"),
    name: str = typer.Option(..., "--name", help="display name"),
    user: str | None = user_option(),
) -> None:
    """Add a user to your clinic (password: SPINEWISE_NEW_PASSWORD or a prompt); it is
    temporary: they must change it at their first sign-in."""
    with signed_in(user) as session:
        password = new_password(f"password for {username}")
        created = create_user(
            session.store,
            session.actor,
            username=username,
            password=password,
            role=role,
            display_name=name,
        )
    console.print(
        f"user {created.id}: {created.username} ({created.role.value}); "
        "they must change the password at their first sign-in"
    )


@users_app.command("list")
def list_users_command(user: str | None = user_option()) -> None:
    """The users of your clinic."""
    with signed_in(user) as session:
        users = list_users(session.store, session.actor)
    table = Table(
        "id", "username", "name", "role", "active", "2fa", "temporary pw", box=None
    )
    for u in users:
        table.add_row(
            str(u.id),
            u.username,
            u.display_name,
            u.role.value,
            str(u.active),
            "on" if u.totp_enabled else "off",
            "yes" if u.must_change_password else "no",
        )
    console.print(table)


@users_app.command("deactivate")
def deactivate_command(
    user_id: int = typer.Argument(..., parser=record_id),
    user: str | None = user_option(),
) -> None:
    """Deactivate a user of your clinic (takes effect on their next action)."""
    with signed_in(user) as session:
        changed = set_user_active(session.store, session.actor, user_id, False)
    console.print(f"user {changed.id} {changed.username} deactivated")


@users_app.command("reactivate")
def reactivate_command(
    user_id: int = typer.Argument(...), user: str | None = user_option()
) -> None:
    """Reactivate a deactivated user of your clinic."""
    with signed_in(user) as session:
        changed = set_user_active(session.store, session.actor, user_id, True)
    console.print(f"user {changed.id} {changed.username} reactivated")


@users_app.command("role")
def role_command(
    user_id: int = typer.Argument(...),
    role: Role = typer.Argument(..., help="the new role"),
    user: str | None = user_option(),
) -> None:
    """Change the role of a user of your clinic (never the last administrator's)."""
    with signed_in(user) as session:
        changed = change_role(session.store, session.actor, user_id, role)
    console.print(f"user {changed.id} {changed.username} is now {changed.role.value}")


@users_app.command("reset")
def reset_command(
    user_id: int = typer.Argument(...), user: str | None = user_option()
) -> None:
    """Give a user of your clinic a temporary password (printed once) that they must
    change at their next sign-in; their signed-in sessions end."""
    with signed_in(user) as session:
        password = reset_password(session.store, session.actor, user_id)
    console.print(f"temporary password for user {user_id} (shown once):")
    typer.echo(password)


@users_app.command("reset-two-factor")
def reset_two_factor_command(
    user_id: int = typer.Argument(...), user: str | None = user_option()
) -> None:
    """Turn off a user's two-factor sign-in (lost phone and recovery codes)."""
    with signed_in(user) as session:
        changed = reset_two_factor(session.store, session.actor, user_id)
    console.print(f"user {changed.id} {changed.username}: two-factor sign-in off")


@users_app.command("password")
def password_command(user: str | None = user_option()) -> None:
    """Change your own password (the new one: SPINEWISE_NEW_PASSWORD or a prompt);
    your other signed-in sessions end."""
    with signed_in(user, temporary_ok=True) as session:
        current = os.environ.get("SPINEWISE_PASSWORD") or typer.prompt(
            "current password", hide_input=True
        )
        new = new_password("new password")
        change_password(session.store, session.actor, current, new)
    console.print(f"password of {session.actor.username} changed")


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
    expires = f"{issued.expires_at:%Y-%m-%d %H:%M} UTC" if issued.expires_at else "-"
    console.print(
        f"token {issued.id} for user {issued.user_id} ({issued.label}), "
        f"expires {expires}:"
    )
    typer.echo(issued.token)


def _when(moment: dt.datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


@token_app.command("list")
def list_tokens_command(user: str | None = user_option()) -> None:
    """Your API tokens (administrators: every token of the clinic), never the tokens
    themselves."""
    with signed_in(user) as session:
        tokens = list_api_tokens(session.store, session.actor)
    table = Table(
        "id", "user", "label", "created", "expires", "last used", "status", box=None
    )
    for t in tokens:
        table.add_row(
            str(t.id),
            t.username,
            t.label,
            _when(t.created_at),
            _when(t.expires_at),
            _when(t.last_used_at),
            t.status,
        )
    console.print(table)


@token_app.command("revoke")
def revoke_token_command(
    token_id: int = typer.Argument(..., min=1, help="the token's id (token list)"),
    user: str | None = user_option(),
) -> None:
    """Revoke an API token (yours; administrators: any of the clinic's); refused
    from the next request on."""
    with signed_in(user) as session:
        revoke_api_token(session.store, session.actor, token_id)
    console.print(f"token {token_id} revoked")


def register(app: typer.Typer) -> None:
    app.add_typer(clinic_app, name="clinic")
    app.add_typer(users_app, name="users")
    app.add_typer(token_app, name="token")
