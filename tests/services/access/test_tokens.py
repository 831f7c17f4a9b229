"""API tokens: they expire, are listed without their secret, and an admin sees the
clinic's (never another clinic's)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import event
from tests.pg import World

from spinewise import services
from spinewise.store import Store, utc_now


def test_a_token_expires_after_ninety_days_unless_told_otherwise(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a, label="lab")
    assert issued.expires_at is not None
    days = (issued.expires_at - utc_now()).total_seconds() / 86400
    assert 89.9 < days <= 90


def test_a_user_lists_their_tokens_and_an_admin_the_clinics(
    store: Store, world: World
) -> None:
    mine = services.issue_api_token(store, world.therapist_a, label="mine")
    other = services.issue_api_token(store, world.physician_a, label="theirs")
    outsider = services.issue_api_token(store, world.therapist_b, label="b")
    listed = services.list_api_tokens(store, world.therapist_a)
    assert [(t.id, t.label, t.status) for t in listed] == [(mine.id, "mine", "active")]
    seen = {t.id for t in services.list_api_tokens(store, world.admin_a)}
    assert {mine.id, other.id} <= seen and outsider.id not in seen
    assert all(mine.token not in str(t) for t in listed)


def test_a_used_token_shows_when_and_a_revoked_one_says_so(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    assert services.verify_api_token(store, issued.token) is not None
    [token] = services.list_api_tokens(store, world.therapist_a)
    assert token.last_used_at is not None
    services.revoke_api_token(store, world.admin_a, issued.id)
    [token] = services.list_api_tokens(store, world.therapist_a)
    assert token.status == "revoked"
    assert services.verify_api_token(store, issued.token) is None


def test_an_expired_token_is_listed_as_expired_and_refused(
    store: Store, world: World
) -> None:
    past = utc_now() - dt.timedelta(seconds=1)
    issued = services.issue_api_token(store, world.therapist_a, expires_at=past)
    assert services.verify_api_token(store, issued.token) is None
    [token] = services.list_api_tokens(store, world.therapist_a)
    assert token.status == "expired"


def test_a_token_answers_nothing_while_its_users_password_must_be_changed(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    temporary = services.reset_password(store, world.admin_a, world.therapist_a.user_id)
    assert services.verify_api_token(store, issued.token) is None
    services.change_password(store, world.therapist_a, temporary, "a-new-passphrase-9")
    assert services.verify_api_token(store, issued.token) is not None


def test_requests_that_find_a_tokens_last_use_due_together_write_it_once(
    store: Store, world: World
) -> None:
    issued = services.issue_api_token(store, world.therapist_a)
    writes: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            writes.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        start = threading.Barrier(8)

        def verify() -> bool:
            start.wait()
            return services.verify_api_token(store, issued.token) is not None

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: verify(), range(8)))
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert answers == [True] * 8
    assert len(writes) == 1
    [token] = services.list_api_tokens(store, world.therapist_a)
    assert token.last_used_at is not None
