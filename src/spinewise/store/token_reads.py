"""An API token and its user in one statement: what checking a bearer token reads.

The JSON API checks its token on every request (a revocation or deactivation must be
seen at once by every server process), so the read is made as cheap as a read can be:
one prepared SELECT joining ``api_tokens`` to ``users`` by the token's hash.

On a SQLite file it runs in a reading unit (the thread's own connection, store/
reading.py). On PostgreSQL it runs on a few connections (at most ``CONNECTIONS`` per process,
opened when first needed) kept for this read alone, in autocommit: one round trip per check, no pool checkout and its ping, no ``BEGIN`` or
``COMMIT`` (a single SELECT sees one committed state of the database anyway). A
connection the server dropped (a restart) is closed and the read tried once more on a
new one.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select

from spinewise.errors import StoreError
from spinewise.store.db import Store
from spinewise.store.prepared import Prepared
from spinewise.store.tables import ApiTokenRow, UserRow


class TokenStanding(NamedTuple):
    """A stored token and the user it belongs to, as they stand now."""

    token_id: int
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    user_id: int
    clinic_id: int
    role: str
    username: str
    display_name: str
    language: str | None
    active: bool
    must_change_password: bool


_BY_HASH = Prepared(
    select(
        ApiTokenRow.id,
        ApiTokenRow.expires_at,
        ApiTokenRow.revoked_at,
        ApiTokenRow.last_used_at,
        UserRow.id,
        UserRow.clinic_id,
        UserRow.role,
        UserRow.username,
        UserRow.display_name,
        UserRow.language,
        UserRow.active,
        UserRow.must_change_password,
    )
    .join(UserRow, UserRow.id == ApiTokenRow.user_id)
    .where(ApiTokenRow.token_hash == bindparam("hash"))
)


def _standing(row: Any) -> TokenStanding:
    found = TokenStanding(*row)
    return found._replace(
        active=bool(found.active), must_change_password=bool(found.must_change_password)
    )


class TokenReader:
    """Reads a token's standing by its hash (one per process, e.g. the web app's)."""

    CONNECTIONS = 8  # PostgreSQL connections at most; a ninth reader waits its turn

    def __init__(self, store: Store) -> None:
        self._store = store
        self._postgres = store.backend == "postgresql"
        self._idle: list[Any] = []
        self._open = 0
        self._turn = threading.Condition()
        # a reader dropped without ``close`` still closes its connections
        weakref.finalize(self, _close_all, self._idle)

    def by_hash(self, token_hash: str) -> TokenStanding | None:
        """The token with this hash and its user, or None when there is none."""
        if not self._postgres:
            with self._store.reading() as unit:
                rows = unit.rows(_BY_HASH, {"hash": token_hash})
        else:
            rows = self._on_kept({"hash": token_hash})
        return _standing(rows[0]) if rows else None

    def _on_kept(self, params: dict[str, Any]) -> list[Any]:
        dialect = self._store.engine.dialect
        for attempt in (1, 2):
            connection = self._take()
            try:
                rows = _BY_HASH.rows_on(connection, dialect, params)
            except BaseException as exc:
                dropped = connection.broken or connection.closed
                connection.close()  # broken or in an unknown state: never reused
                self._dropped()
                if attempt == 2 or not dropped or not isinstance(exc, StoreError):
                    raise
                continue
            self._give_back(connection)
            return rows
        raise AssertionError("unreachable")

    def _take(self) -> Any:
        with self._turn:
            while not self._idle and self._open >= self.CONNECTIONS:
                self._turn.wait()
            if self._idle:
                return self._idle.pop()
            self._open += 1
        try:
            pooled = self._store.engine.raw_connection()
            connection: Any = pooled.driver_connection
            pooled.detach()  # this reader's own from now on, closed by it
            connection.rollback()  # the pool's ping may have begun a transaction
            connection.autocommit = True
        except BaseException:
            self._dropped()
            raise
        return connection

    def _give_back(self, connection: Any) -> None:
        with self._turn:
            self._idle.append(connection)
            self._turn.notify()

    def _dropped(self) -> None:
        with self._turn:
            self._open -= 1
            self._turn.notify()

    def close(self) -> None:
        """Close the kept connections."""
        with self._turn:
            idle = self._idle[:]
            self._idle.clear()
            self._open -= len(idle)
        _close_all(idle)


def _close_all(connections: list[Any]) -> None:
    while connections:
        connections.pop().close()
