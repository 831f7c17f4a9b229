"""Has the database changed since I last looked? For caches that must stay exact.

``change_counter(store)`` gives, for a SQLite file, a function returning SQLite's
``PRAGMA data_version`` read on a connection of its own: the number changes whenever
any other connection (of this process or of another server process) commits to the
file. A cache that remembers what it read together with the number, and forgets it
when the number moves, is never staler than a fresh read. PostgreSQL and in-memory
SQLite have no such counter here: None (do not cache).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable

from spinewise.store.db import Store, sqlite_path


def change_counter(store: Store) -> Callable[[], int] | None:
    """A function giving the database's change number, or None when there is none."""
    if store.backend != "sqlite":
        return None
    path = sqlite_path(store.url)
    if path is None:
        return None
    connection = sqlite3.connect(
        str(path), check_same_thread=False, isolation_level=None, timeout=30.0
    )
    lock = threading.Lock()

    def data_version() -> int:
        with lock:
            row = connection.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    return data_version
