"""bench/load.py's PostgreSQL side: the cluster's settings, and what PostgreSQL ran
for each request (``--statements``: pg_stat_statements over the measured window).

The cluster runs as a clinic would run it: every commit flushed to disk (``fsync``,
``synchronous_commit``, ``full_page_writes`` on; the test suite's clusters turn them
off). ``--statements`` loads pg_stat_statements (``track_utility``: ``BEGIN``,
``COMMIT``, ``SET`` counted too) and prints, per request served, how often each
statement ran and PostgreSQL's execution time for it, the statements and
transactions in all: what a request costs the database, kind by kind.
"""

from __future__ import annotations

from typing import Any

import psycopg

DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
COUNTING = {
    "shared_preload_libraries": "pg_stat_statements",
    "pg_stat_statements.track": "all",
    "pg_stat_statements.track_utility": "on",
    "pg_stat_statements.max": "1000",
}


def cluster_settings(statements: bool) -> dict[str, str]:
    """The settings the bench's throw-away cluster starts with."""
    return DURABLE | (COUNTING if statements else {})


def _connect(url: str) -> psycopg.Connection[Any]:
    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"),
                           autocommit=True)  # fmt: skip


_COUNTERS = """SELECT xact_commit + xact_rollback, sessions FROM pg_stat_database
WHERE datname = current_database()"""
_STATEMENTS = """SELECT calls, total_exec_time, total_plan_time, query
FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
WHERE d.datname = current_database() ORDER BY calls DESC"""


class StatementCount:
    """pg_stat_statements of one database between ``start`` and ``report``."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._counters = (0, 0)

    def start(self) -> None:
        with _connect(self.url) as connection:
            connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            connection.execute("SELECT pg_stat_statements_reset()")
            connection.execute("SELECT pg_stat_clear_snapshot()")
            self._counters = _counters(connection)

    def report(self, requests: int) -> None:
        """Per request: each statement's calls and execution time, then the totals."""
        with _connect(self.url) as connection:
            connection.execute("SELECT pg_stat_clear_snapshot()")
            transactions, sessions = (
                now - then
                for now, then in zip(_counters(connection), self._counters, strict=True)
            )
            rows = connection.execute(_STATEMENTS).fetchall()
        per = max(requests, 1)
        print(f"  PostgreSQL per request ({requests} requests; calls, exec ms):")
        calls = exec_ms = 0.0
        for count, total, plan, query in rows:
            if "pg_stat" in query:
                continue
            calls += count
            exec_ms += total + plan
            text = " ".join(query.split())
            text = text if len(text) <= 100 else text[:97] + "..."
            print(f"    {count / per:6.3f}  {(total + plan) / per:6.3f}  {text}")
        print(f"  statements per request: {calls / per:.2f}; execution "
              f"{exec_ms / per:.3f} ms; transactions per request "
              f"{transactions / per:.2f}; connections opened {sessions}")  # fmt: skip


def _counters(connection: psycopg.Connection[Any]) -> tuple[int, int]:
    row = connection.execute(_COUNTERS).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)
