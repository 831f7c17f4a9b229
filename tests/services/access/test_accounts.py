"""Users, passwords, API tokens and signing in."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.pg import PASSWORD, World

from spinewise import services
from spinewise.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDeniedError,
)
from spinewise.services import Interface, Role
from spinewise.store import Store, utc_now


def test_the_right_password_signs_the_user_in_as_an_actor(
    store: Store, world: World
) -> None:
    actor = services.authenticate(store, "physician-a", PASSWORD, Interface.WEB)
    assert actor == world.physician_a.via(Interface.WEB)


@pytest.mark.parametrize(
    ("username", "password"),
    [("physician-a", "wrong password!"), ("nobody", PASSWORD), ("", "")],
)
def test_a_wrong_password_or_unknown_user_is_refused_and_audited(
    store: Store, world: World, username: str, password: str
) -> None:
    assert services.authenticate(store, username, password, Interface.WEB) is None
    entries = services.list_audit(
        store, world.admin_a, services.AuditFilter(action=services.Action.LOGIN_FAILED)
    )
    if username == "physician-a":
        assert [e.username for e in entries] == ["physician-a"]


def test_passwords_are_stored_only_as_argon2_hashes(store: Store, world: World) -> None:
    with store.unit_of_work() as uow:
        row = uow.users.get(world.therapist_a.user_id)
        assert row is not None
        assert row.password_hash.startswith("$argon2id$")
        assert PASSWORD not in row.password_hash


def test_admins_create_users_in_their_own_clinic_only(
    store: Store, world: World
) -> None:
    user = services.create_user(
        store,
        world.admin_b,
        username="new-therapist",
        password="long enough password",
        role=Role.THERAPIST,
        display_name="New",
    )
    assert user.clinic_id == world.clinic_b
    for actor in (world.physician_a, world.therapist_a):
        with pytest.raises(PermissionDeniedError):
            services.create_user(
                store,
                actor,
                username="sneaky",
                password="long enough password",
                role=Role.ADMIN,
                display_name="Sneaky",
            )


def test_a_taken_username_is_refused_naming_the_field(
    store: Store, world: World
) -> None:
    with pytest.raises(ConflictError) as caught:
        services.create_user(
            store,
            world.admin_b,
            username="therapist-a",
            password="long enough password",
            role="therapist",
            display_name="Twin",
        )
    assert caught.value.field == "username"


def test_a_malformed_user_is_refused_naming_every_field(
    store: Store, world: World
) -> None:
    with pytest.raises(InputError) as caught:
        services.create_user(
            store,
            world.admin_a,
            username="Bad Name",
            password="short",
            role="surgeon",
            display_name="",
        )
    fields = {p.field for p in caught.value.problems}
    assert fields == {"username", "password", "role", "display_name"}


def test_a_duplicate_clinic_name_is_refused_naming_the_field(
    store: Store, world: World
) -> None:
    with pytest.raises(ConflictError) as caught:
        services.create_clinic(
            store,
            name="Alpha Spine Clinic",
            admin_username="admin-c",
            admin_password=PASSWORD,
        )
    assert caught.value.field == "name"


def test_a_deactivated_user_can_neither_sign_in_nor_act(
    store: Store, world: World
) -> None:
    services.set_user_active(store, world.admin_a, world.therapist_a.user_id, False)
    assert services.authenticate(store, "therapist-a", PASSWORD, Interface.CLI) is None
    with pytest.raises(PermissionDeniedError):
        services.list_patients(store, world.therapist_a)


def test_api_tokens_are_stored_as_hashes_and_stand_for_their_user(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a, label="tablet")
    with store.unit_of_work() as uow:
        row = uow.api_tokens.get(issued.id)
        assert row is not None and issued.token not in row.token_hash
    actor = services.verify_api_token(store, issued.token)
    assert actor == world.therapist_a.via(Interface.API)
    assert services.verify_api_token(store, issued.token + "x") is None
    assert services.verify_api_token(store, "not-a-token") is None


def test_revoked_and_expired_tokens_stand_for_nobody(
    store: Store, world: World
) -> None:
    revoked = services.issue_api_token(store, world.therapist_a)
    services.revoke_api_token(store, world.therapist_a, revoked.id)
    expired = services.issue_api_token(
        store, world.therapist_a, expires_at=utc_now() - dt.timedelta(seconds=1)
    )
    assert services.verify_api_token(store, revoked.token) is None
    assert services.verify_api_token(store, expired.token) is None


def test_only_admins_issue_tokens_for_others_and_only_in_their_clinic(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(
        store, world.admin_a, user_id=world.physician_a.user_id
    )
    assert issued.user_id == world.physician_a.user_id
    with pytest.raises(PermissionDeniedError):
        services.issue_api_token(
            store, world.therapist_a, user_id=world.physician_a.user_id
        )
    with pytest.raises(NotFoundError):
        services.issue_api_token(
            store, world.admin_a, user_id=world.physician_b.user_id
        )


def test_an_actor_carries_the_users_display_name_but_compares_without_it(
    store: Store, world: World
) -> None:
    actor = services.authenticate(store, "physician-a", PASSWORD, Interface.WEB)
    assert actor is not None
    assert (actor.user_id, actor.clinic_id, actor.role, actor.display_name) == (
        world.physician_a.user_id,
        world.clinic_a,
        "physician",
        "Physician A",
    )
    assert actor == world.physician_a.via(Interface.WEB)
    token = services.issue_api_token(store, world.physician_a).token
    via_token = services.verify_api_token(store, token)
    assert via_token is not None and via_token.interface is Interface.API
