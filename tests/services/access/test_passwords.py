"""The password policy wherever a password is set, Argon2id, change and reset."""

from __future__ import annotations

import pytest
from tests.pg import PASSWORD, World

from spinewise import services
from spinewise.errors import InputError
from spinewise.services import Interface, Role
from spinewise.services.access.passwords import (
    ARGON2_MEMORY_KIB,
    ARGON2_PARALLELISM,
    ARGON2_TIME_COST,
    common_passwords,
    password_problem,
)
from spinewise.store import Store


def test_the_bundled_list_holds_at_least_ten_thousand_common_passwords() -> None:
    common = common_passwords()
    assert len(common) >= 10_000
    assert {"password", "123456", "qwerty", "iloveyou"} <= common
    assert all(p == p.lower() for p in common)


@pytest.mark.parametrize(
    ("password", "username", "says"),
    [
        ("short pass", "ann", "at least 12 characters"),
        ("elevenchars", "ann", "at least 12 characters"),
        ("QazWsxEdcRfv", "ann", "most common"),  # case-insensitive
        ("1qaz2wsx3edc", "ann", "most common"),
        ("Password2026!!", "ann", "most common"),  # digits and symbols around it
        ("!!Sunshine123456", "ann", "most common"),
        ("anna-karenina-1877", "anna", "username"),
        ("my name is ANNA smith", "anna", "username"),
        ("annasmith-x", "annasmith-x", "at least 12"),
        ("annasmithxyz", "annasmithxyz", "username"),
    ],
)
def test_weak_passwords_are_refused_saying_why(
    password: str, username: str, says: str
) -> None:
    problem = password_problem(password, username)
    assert problem is not None and says in problem
    assert password not in problem


@pytest.mark.parametrize(
    "password",
    [
        PASSWORD,
        "tulip-orbit-canoe-47",
        "Ẅinter läuft über die Brücke",
        "x" * 12 + "7yq",
    ],
)
def test_long_uncommon_passwords_are_accepted(password: str) -> None:
    assert password_problem(password, "therapist-a") is None


def test_every_password_set_goes_through_the_policy(store: Store, world: World) -> None:
    for attempt in (
        lambda: services.create_clinic(
            store, name="Gamma", admin_username="boss", admin_password="password1234"
        ),
        lambda: services.create_user(
            store,
            world.admin_a,
            username="kim",
            password="kim-is-my-name",
            role=Role.THERAPIST,
            display_name="Kim",
        ),
        lambda: services.change_password(
            store, world.therapist_a, PASSWORD, "Qwerty123456"
        ),
    ):
        with pytest.raises(InputError) as caught:
            attempt()
        [problem] = caught.value.problems
        assert problem.field in {"password", "admin_password", "new_password"}
        assert "password1234" not in problem.message


def test_hashes_are_argon2id_with_the_documented_parameters(
    store: Store, world: World
) -> None:
    with store.unit_of_work() as uow:
        row = uow.users.get(world.therapist_a.user_id)
        assert row is not None
        stored = row.password_hash
    expected = f"m={ARGON2_MEMORY_KIB},t={ARGON2_TIME_COST},p={ARGON2_PARALLELISM}"
    assert stored.startswith("$argon2id$v=19$" + expected + "$")


def test_a_changed_password_signs_in_and_the_old_one_no_longer_does(
    store: Store, world: World
) -> None:
    new = "violet harbour lantern"
    services.change_password(store, world.therapist_a, PASSWORD, new)
    assert services.authenticate(store, "therapist-a", PASSWORD, Interface.CLI) is None
    assert services.authenticate(store, "therapist-a", new, Interface.CLI) is not None
    entries = services.list_audit(
        store, world.admin_a, services.AuditFilter(action=services.Action.CHANGE)
    )
    assert any(e.detail == {"password": "changed"} for e in entries)


def test_a_change_needs_the_current_password(store: Store, world: World) -> None:
    with pytest.raises(InputError) as caught:
        services.change_password(
            store, world.therapist_a, "not my password", "violet harbour lantern"
        )
    assert caught.value.problems[0].field == "current_password"


def test_a_user_added_by_an_admin_must_change_the_password_first(
    store: Store, world: World
) -> None:
    temporary = "handed over on paper 7"
    user = services.create_user(
        store,
        world.admin_a,
        username="kim",
        password=temporary,
        role=Role.THERAPIST,
        display_name="Kim",
    )
    assert user.must_change_password
    assert services.must_change_password(store, user.id)
    kim = services.authenticate(store, "kim", temporary, Interface.CLI)
    assert kim is not None
    services.change_password(store, kim, temporary, "she chose this herself")
    assert not services.must_change_password(store, user.id)


def test_an_admin_reset_sets_a_temporary_password_that_must_be_changed(
    store: Store, world: World
) -> None:
    temporary = services.reset_password(store, world.admin_a, world.therapist_a.user_id)
    assert password_problem(temporary, "therapist-a") is None
    assert services.authenticate(store, "therapist-a", PASSWORD, Interface.CLI) is None
    assert services.authenticate(store, "therapist-a", temporary, Interface.CLI)
    assert services.must_change_password(store, world.therapist_a.user_id)
