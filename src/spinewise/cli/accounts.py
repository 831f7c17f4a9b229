"""``spinewise clinic create`` and ``spinewise users add | list | deactivate |
reactivate | role | reset | reset-two-factor | password``: who may use Spinewise
(API tokens: ``tokens.py``)."""

from __future__ import annotations

import os
from collections.abc import Callable

import typer

from spinewise.cli.ids import JsonFlag, UserId
from spinewise.cli.output import (
    console,
    json_rows,
    print_json,
    print_secret,
    print_table,
    report,
)
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
    list_users,
    reset_password,
    reset_two_factor,
    set_user_active,
)

clinic_app = typer.Typer(help="Clinics (operator).", no_args_is_help=True)
users_app = typer.Typer(
    help="Users of your clinic (administrators).", no_args_is_help=True
)


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
    report(as_json, changed.model_dump(mode="json"), text)


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
    report(as_json, document, text)


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
        print_json(json_rows(users))
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
    print_table(headers, rows)


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


def register(app: typer.Typer) -> None:
    app.add_typer(clinic_app, name="clinic")
    app.add_typer(users_app, name="users")
