"""A clinic administrator's user management: own clinic only, admins only, never the
last active administrator taken away, every change audited."""

from __future__ import annotations

import pytest
from tests.pg import PASSWORD, World

from spinewise import services
from spinewise.errors import ConflictError, NotFoundError, PermissionDeniedError
from spinewise.services import Interface, Role
from spinewise.services.access.passwords import password_problem
from spinewise.store import Store


def test_an_admin_adds_a_user_with_a_temporary_password_shown_once(
    store: Store, world: World
) -> None:
    user, password = services.add_user(
        store, world.admin_a, username="kim", display_name="Kim", role="therapist"
    )
    assert user.clinic_id == world.clinic_a and user.must_change_password
    assert password_problem(password, "kim") is None
    assert services.authenticate(store, "kim", password, Interface.WEB) is not None


@pytest.mark.parametrize("name", ["therapist_a", "physician_a"])
def test_only_admins_manage_users(store: Store, world: World, name: str) -> None:
    actor = world.actors[name]
    target = world.therapist_a.user_id
    for attempt in (
        lambda: services.list_users(store, actor),
        lambda: services.get_user(store, actor, target),
        lambda: services.add_user(
            store, actor, username="kim", display_name="Kim", role="therapist"
        ),
        lambda: services.change_role(store, actor, target, Role.PHYSICIAN),
        lambda: services.set_user_active(store, actor, target, False),
        lambda: services.reset_password(store, actor, target),
        lambda: services.reset_two_factor(store, actor, target),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()


def test_another_clinics_users_are_not_found(store: Store, world: World) -> None:
    theirs = world.physician_b.user_id
    for attempt in (
        lambda: services.get_user(store, world.admin_a, theirs),
        lambda: services.change_role(store, world.admin_a, theirs, Role.THERAPIST),
        lambda: services.set_user_active(store, world.admin_a, theirs, False),
        lambda: services.reset_password(store, world.admin_a, theirs),
    ):
        with pytest.raises(NotFoundError):
            attempt()
    listed = {u.username for u in services.list_users(store, world.admin_a)}
    assert listed == {"admin-a", "physician-a", "therapist-a"}


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(
    store: Store, world: World
) -> None:
    admin = world.admin_a
    with pytest.raises(ConflictError) as caught:
        services.change_role(store, admin, admin.user_id, Role.PHYSICIAN)
    assert "last active administrator" in str(caught.value)
    with pytest.raises(ConflictError):
        services.set_user_active(store, admin, admin.user_id, False)
    services.change_role(store, admin, world.physician_a.user_id, Role.ADMIN)
    second = services.authenticate(store, "physician-a", PASSWORD, Interface.CLI)
    assert second is not None
    services.set_user_active(store, second, admin.user_id, False)
    with pytest.raises(ConflictError):
        services.change_role(store, second, second.user_id, Role.THERAPIST)


def test_role_changes_and_deactivation_take_effect_and_are_audited(
    store: Store, world: World
) -> None:
    target = world.therapist_a.user_id
    changed = services.change_role(store, world.admin_a, target, Role.PHYSICIAN)
    assert changed.role is Role.PHYSICIAN
    with pytest.raises(PermissionDeniedError):  # the old actor's role is stale
        services.list_patients(store, world.therapist_a)
    services.set_user_active(store, world.admin_a, target, False)
    assert services.authenticate(store, "therapist-a", PASSWORD, Interface.CLI) is None
    services.set_user_active(store, world.admin_a, target, True)
    assert services.authenticate(store, "therapist-a", PASSWORD, Interface.CLI)
    details = [
        e.detail
        for e in services.list_audit(
            store, world.admin_a, services.AuditFilter(action=services.Action.CHANGE)
        )
        if e.entity == "user"
    ]
    assert {"role": "physician", "was": "therapist"} in details
    assert {"active": False} in details and {"active": True} in details


def test_an_admin_resets_others_passwords_not_their_own(
    store: Store, world: World
) -> None:
    with pytest.raises(ConflictError):
        services.reset_password(store, world.admin_a, world.admin_a.user_id)
