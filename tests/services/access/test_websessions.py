"""Server-side web sessions: they end at sign-out, when idle, at their absolute
limit, on deactivation and everywhere at once; an id is replaced at sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.pg import World

from spinewise import services
from spinewise.errors import NotFoundError, PermissionDeniedError
from spinewise.services import Actor, SessionPolicy
from spinewise.store import Store, WebSessions, utc_now

POLICY = SessionPolicy()


def start(
    store: Store,
    actor: Actor,
    policy: SessionPolicy = POLICY,
    replacing: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    started = services.start_web_session(
        store,
        actor,
        policy,
        address="10.0.0.7",
        user_agent="Firefox",
        replacing=replacing,
        now=now,
    )
    return started.cookie


def test_a_session_resumes_as_its_user_until_signed_out(
    store: Store, world: World
) -> None:
    cookie = start(store, world.therapist_a)
    found = services.resume_web_session(store, cookie, POLICY)
    assert found is not None and found.actor == world.therapist_a.via(
        services.Interface.WEB
    )
    services.end_web_session(store, cookie)
    assert services.resume_web_session(store, cookie, POLICY) is None


def test_the_database_keeps_only_a_hash_of_the_session_id(
    store: Store, world: World
) -> None:
    cookie = start(store, world.therapist_a)
    with store.unit_of_work() as uow:
        rows = WebSessions(uow.session).of_user(world.therapist_a.user_id, utc_now())
    assert rows and all(cookie not in row.id_hash for row in rows)


@pytest.mark.parametrize("cookie", ["", "x", "a" * 43, "a" * 5000])
def test_an_unknown_or_absurd_id_opens_nothing(store: Store, cookie: str) -> None:
    assert services.resume_web_session(store, cookie, POLICY) is None


def test_an_idle_session_ends(store: Store, world: World) -> None:
    start_at = utc_now()
    cookie = start(store, world.therapist_a, now=start_at)
    at = start_at + dt.timedelta(minutes=29)
    assert services.resume_web_session(store, cookie, POLICY, now=at) is not None
    at += dt.timedelta(minutes=31)  # 31 minutes unused
    assert services.resume_web_session(store, cookie, POLICY, now=at) is None


def test_use_keeps_a_session_alive_but_never_past_its_absolute_limit(
    store: Store, world: World
) -> None:
    start_at = utc_now()
    cookie = start(store, world.therapist_a, now=start_at)
    at = start_at
    while at < start_at + dt.timedelta(hours=11, minutes=40):
        at += dt.timedelta(minutes=20)  # used every 20 minutes: never idle
        assert services.resume_web_session(store, cookie, POLICY, now=at) is not None
    at = start_at + dt.timedelta(hours=12, seconds=1)
    assert services.resume_web_session(store, cookie, POLICY, now=at) is None


def test_a_new_session_replaces_the_one_the_browser_held(
    store: Store, world: World
) -> None:
    planted = start(store, world.therapist_a)
    fresh = start(store, world.therapist_a, replacing=planted)
    assert fresh != planted
    assert services.resume_web_session(store, planted, POLICY) is None
    assert services.resume_web_session(store, fresh, POLICY) is not None


def test_deactivating_a_user_ends_all_their_sessions(
    store: Store, world: World
) -> None:
    cookies = [start(store, world.therapist_a) for _ in range(2)]
    services.set_user_active(store, world.admin_a, world.therapist_a.user_id, False)
    services.set_user_active(store, world.admin_a, world.therapist_a.user_id, True)
    assert all(services.resume_web_session(store, c, POLICY) is None for c in cookies)


def test_signing_out_everywhere_spares_only_the_kept_session(
    store: Store, world: World
) -> None:
    kept, other = start(store, world.therapist_a), start(store, world.therapist_a)
    kept_id = services.resume_web_session(store, kept, POLICY)
    assert kept_id is not None
    ended = services.end_user_sessions(store, world.therapist_a, keep=kept_id.id)
    assert ended == 1
    assert services.resume_web_session(store, other, POLICY) is None
    assert services.resume_web_session(store, kept, POLICY) is not None


def test_an_admin_signs_a_user_of_the_clinic_out_but_no_one_else(
    store: Store, world: World
) -> None:
    cookie = start(store, world.therapist_a)
    with pytest.raises(PermissionDeniedError):
        services.end_user_sessions(store, world.physician_a, world.therapist_a.user_id)
    with pytest.raises(NotFoundError):
        services.end_user_sessions(store, world.admin_b, world.therapist_a.user_id)
    assert services.resume_web_session(store, cookie, POLICY) is not None
    assert (
        services.end_user_sessions(store, world.admin_a, world.therapist_a.user_id) == 1
    )
    assert services.resume_web_session(store, cookie, POLICY) is None


def test_a_user_lists_and_ends_only_their_own_sessions(
    store: Store, world: World
) -> None:
    mine = start(store, world.therapist_a)
    start(store, world.physician_a)
    listed = services.list_web_sessions(store, world.therapist_a)
    assert [(s.client_address, s.user_agent) for s in listed] == [
        ("10.0.0.7", "Firefox")
    ]
    with pytest.raises(NotFoundError):
        services.end_own_session(store, world.physician_a, listed[0].id)
    services.end_own_session(store, world.therapist_a, listed[0].id)
    assert services.resume_web_session(store, mine, POLICY) is None
