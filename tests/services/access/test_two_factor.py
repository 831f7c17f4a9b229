"""Two-factor sign-in: enrolment with a real TOTP code, codes used once, recovery
codes used once, and who must have it."""

from __future__ import annotations

import time

import pyotp
import pytest
from sqlalchemy import select
from tests.pg import PASSWORD, World

from spinewise import services
from spinewise.errors import ConflictError, InputError, NotFoundError
from spinewise.services import Actor, Interface, Role, SeedKey
from spinewise.store import RecoveryCodeRow, Store

KEY = SeedKey.derive("the operator's TOTP key, 32 characters or more")


def next_code(secret: str) -> str:
    """The app's code for the next 30-second step (accepted, and not used yet)."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def code_step(store: Store, user_id: int, code: str) -> Actor | None:
    """The web's second sign-in step, with the instance's TOTP key."""
    return services.complete_sign_in(store, user_id, code, Interface.WEB, key=KEY)


def enrol(store: Store, actor: Actor) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on for ``actor``: the secret and the recovery codes."""
    enrolment = services.start_enrolment(store, actor, KEY)
    codes = services.confirm_enrolment(
        store, actor, pyotp.TOTP(enrolment.secret).now(), KEY
    )
    return enrolment.secret, codes


def test_enrolment_shows_a_qr_code_and_the_secret_and_needs_a_right_code(
    store: Store, world: World
) -> None:
    enrolment = services.start_enrolment(store, world.physician_a, KEY)
    assert enrolment.qr_svg.startswith("<svg") and "<path" in enrolment.qr_svg
    assert enrolment.uri.startswith("otpauth://totp/Spinewise:physician-a?")
    assert f"secret={enrolment.secret}" in enrolment.uri
    assert services.pending_enrolment(store, world.physician_a, KEY) == enrolment
    with pytest.raises(InputError) as caught:
        services.confirm_enrolment(store, world.physician_a, "000000", KEY)
    assert caught.value.problems[0].field == "code"
    assert services.two_factor_enabled(store, world.physician_a) == (False, 0)
    codes = services.confirm_enrolment(
        store, world.physician_a, pyotp.TOTP(enrolment.secret).now(), KEY
    )
    assert len(codes) == len(set(codes)) == 10
    assert services.two_factor_enabled(store, world.physician_a) == (True, 10)


def test_recovery_codes_are_stored_only_as_digests(store: Store, world: World) -> None:
    _, codes = enrol(store, world.therapist_a)
    with store.unit_of_work() as uow:
        stored = set(uow.session.scalars(select(RecoveryCodeRow.code_hash)))
    assert len(stored) == 10 and not stored & set(codes)


def test_sign_in_asks_for_the_code_then_accepts_a_right_one_once(
    store: Store, world: World
) -> None:
    secret, _ = enrol(store, world.physician_a)
    step = services.sign_in(store, "physician-a", PASSWORD, Interface.WEB)
    assert step.actor is None and step.code_needed_for == world.physician_a.user_id
    wrong = services.sign_in(store, "physician-a", "wrong password!", Interface.WEB)
    assert wrong.refused  # a wrong password never reveals that a code would follow
    code = next_code(secret)
    actor = services.complete_sign_in(
        store, world.physician_a.user_id, code, Interface.WEB, key=KEY
    )
    assert actor == world.physician_a.via(Interface.WEB)
    again = services.complete_sign_in(
        store, world.physician_a.user_id, code, Interface.WEB, key=KEY
    )
    assert again is None  # the same code is not accepted twice
    assert services.authenticate(store, "physician-a", PASSWORD, Interface.CLI) is None


def test_a_wrong_code_is_refused_and_audited(store: Store, world: World) -> None:
    enrol(store, world.physician_a)
    user_id = world.physician_a.user_id
    assert code_step(store, user_id, "123456") is None
    assert code_step(store, user_id, "nonsense") is None
    failed = services.list_audit(
        store, world.admin_a, services.AuditFilter(action=services.Action.LOGIN_FAILED)
    )
    assert [e.username for e in failed] == ["physician-a", "physician-a"]


def test_a_recovery_code_signs_in_once(store: Store, world: World) -> None:
    _, codes = enrol(store, world.therapist_a)
    user_id = world.therapist_a.user_id
    code = codes[3].upper().replace("-", " ")  # typed loosely
    assert code_step(store, user_id, code) is not None
    assert code_step(store, user_id, codes[3]) is None
    assert services.two_factor_enabled(store, world.therapist_a) == (True, 9)


def test_new_recovery_codes_replace_the_old_ones(store: Store, world: World) -> None:
    _, old = enrol(store, world.therapist_a)
    new = services.new_recovery_codes(store, world.therapist_a, PASSWORD)
    user_id = world.therapist_a.user_id
    assert code_step(store, user_id, old[0]) is None
    assert code_step(store, user_id, new[0]) is not None


def test_only_roles_that_need_no_second_factor_may_turn_it_off_in_production(
    store: Store, world: World
) -> None:
    assert services.two_factor_required(Role.ADMIN, production=True)
    assert services.two_factor_required(Role.PHYSICIAN, production=True)
    assert not services.two_factor_required(Role.THERAPIST, production=True)
    assert not services.two_factor_required(Role.ADMIN, production=False)
    enrol(store, world.physician_a)
    with pytest.raises(ConflictError):
        services.disable_two_factor(store, world.physician_a, PASSWORD, production=True)
    with pytest.raises(InputError):
        services.disable_two_factor(
            store, world.physician_a, "not the password", production=False
        )
    services.disable_two_factor(store, world.physician_a, PASSWORD, production=False)
    actor = services.authenticate(store, "physician-a", PASSWORD, Interface.CLI)
    assert actor is not None


def test_an_admin_turns_off_a_users_second_factor_in_their_clinic_only(
    store: Store, world: World
) -> None:
    enrol(store, world.therapist_a)
    with pytest.raises(NotFoundError):
        services.reset_two_factor(store, world.admin_b, world.therapist_a.user_id)
    services.reset_two_factor(store, world.admin_a, world.therapist_a.user_id)
    assert services.authenticate(store, "therapist-a", PASSWORD, Interface.CLI)
