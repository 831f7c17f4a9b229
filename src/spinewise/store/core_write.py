"""A writing transaction on a driver connection, no ORM: the CDS call record.

``store.unflushed_core(work)`` runs ``work(CoreWrite)`` in one transaction on the
unflushed connection (store/audit_sink.py: it survives ``kill -9`` of the server,
not a power loss) and commits it, or rolls it back when ``work`` raises. Every
statement is a prepared INSERT or DELETE (store/prepared.py): nothing compiles per
call and no ORM ``Session`` or instance is made, which is most of what a hook call's
record cost through the unit of work (issue 19).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.engine import Dialect

from spinewise.errors import N_, FieldProblem, InputError, StoreError
from spinewise.store.audit_sink import AUDIT_INSERT
from spinewise.store.cds import CdsCardRow
from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.prepared import PreparedInsert
from spinewise.store.shared_state import UsedNonceRow

CARD_COLUMNS = (
    "card_uuid",
    "clinic_id",
    "service_id",
    "rule",
    "indicator",
    "overridable",
    "hook_instance",
    "issuer",
    "shown_at",
)
_CARDS = PreparedInsert(
    CdsCardRow.__table__,  # type: ignore[arg-type]
    CARD_COLUMNS,
    skip_conflicts=("card_uuid",),
)
_NONCES = PreparedInsert(
    UsedNonceRow.__table__,  # type: ignore[arg-type]
    ("kind", "value", "expires_at"),
    skip_conflicts=("kind", "value"),
)
_EXPIRED = delete(UsedNonceRow).where(UsedNonceRow.expires_at <= bindparam("now"))
_expired_sql: dict[str, tuple[str, bool]] = {}


def _expired(dialect: Dialect) -> tuple[str, bool]:
    """The DELETE of expired nonces for ``dialect``: its SQL, positional or not."""
    found = _expired_sql.get(dialect.name)
    if found is None:
        found = _expired_sql[dialect.name] = (
            str(_EXPIRED.compile(dialect=dialect)),
            bool(dialect.positional),
        )
    return found


def _refuse_nul(rows: Iterable[Mapping[str, Any]]) -> None:
    """As the store's engines do (store/db.py): no NUL character in text, a 422
    rather than a database error."""
    for row in rows:
        if any(isinstance(v, str) and "\x00" in v for v in row.values()):
            raise InputError(
                [
                    FieldProblem(
                        "(text)", N_("text must not contain the NUL character (\\x00)")
                    )
                ]
            )


class CoreWrite:
    """The statements of one writing transaction on ``connection`` (a driver
    connection with the transaction begun)."""

    def __init__(self, connection: Any, dialect: Dialect) -> None:
        self._connection = connection
        self._dialect = dialect

    def delete_expired_nonces(self, now: dt.datetime) -> None:
        """Forget the one-time values that expired by ``now``."""
        sql, positional = _expired(self._dialect)
        processor = (
            UtcDateTime().dialect_impl(self._dialect).bind_processor(self._dialect)
        )
        value = now if processor is None else processor(now)
        cursor = self._connection.cursor()
        try:
            cursor.execute(sql, (value,) if positional else {"now": value})
        except self._dialect.loaded_dbapi.Error as exc:
            raise StoreError(f"database error: {exc}") from exc
        finally:
            cursor.close()

    def claim_nonce(self, kind: str, value: str, expires_at: dt.datetime) -> bool:
        """Insert the value unless it is there (``ON CONFLICT DO NOTHING``, so the
        transaction goes on); True when this call inserted it (the database's unique
        key decides a race between processes)."""
        row = {"kind": kind, "value": value, "expires_at": expires_at}
        _refuse_nul([row])
        return _NONCES.added(self._connection, self._dialect, row)

    def add_cards_shown(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert cards (``CdsCardRow`` columns) whose uuid is new: a call the EHR
        repeats (same ``hookInstance``, same card uuids) is shown once."""
        if rows:
            _refuse_nul(rows)
            at = utc_now()
            _CARDS.run(
                self._connection, self._dialect, [{"shown_at": at, **r} for r in rows]
            )

    def append_audit(self, events: Sequence[Mapping[str, Any]]) -> None:
        """Insert audit events (``AuditRow`` columns), stamped now, as
        ``AuditLog.append`` does."""
        if events:
            _refuse_nul(events)
            at = utc_now()
            AUDIT_INSERT.run(
                self._connection, self._dialect, [{"at": at, **e} for e in events]
            )
