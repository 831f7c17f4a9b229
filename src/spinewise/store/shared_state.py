"""State the web processes share through the database: the instance secret, web
sessions, failed sign-ins and one-time values (e.g. CDS Hooks JWT ``jti``s).

Registered on the same ``Base.metadata`` as ``tables.py`` (found by
``complete_metadata``), created by revision 0004. Build each repository on a unit of
work's session: ``WebSessions(uow.session)``.

* ``instance_secrets``: named random secrets made on first use of the database.
* ``web_sessions``: one row per signed-in browser; the cookie holds a random id and
  the row only its SHA-256 (``id_hash``), so a copy of the database opens no session.
* ``signin_failures``: one row per failed sign-in (username as typed, folded; the
  client address), pruned once older than every throttle window.
* ``used_nonces``: values that may be used once until they expire.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import AuditId, Base


class InstanceSecretRow(Base):
    __tablename__ = "instance_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class WebSessionRow(Base):
    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    idle_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(255))


class SigninFailureRow(Base):
    __tablename__ = "signin_failures"
    __table_args__ = (
        Index(None, "username", "failed_at"),
        Index(None, "client_address", "failed_at"),
    )

    id: Mapped[int] = mapped_column(AuditId, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    client_address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class UsedNonceRow(Base):
    __tablename__ = "used_nonces"
    __table_args__ = (UniqueConstraint("kind", "value"), Index(None, "expires_at"))

    id: Mapped[int] = mapped_column(AuditId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class InstanceSecrets:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, name: str) -> str | None:
        row = self._session.get(InstanceSecretRow, name)
        return None if row is None else row.value

    def add(self, name: str, value: str) -> None:
        self._session.add(InstanceSecretRow(name=name, value=value))
        self._session.flush()


class WebSessions:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, **values: object) -> WebSessionRow:
        row = WebSessionRow(**values)
        self._session.add(row)
        self._session.flush()
        return row

    def by_hash(self, id_hash: str) -> WebSessionRow | None:
        query = select(WebSessionRow).where(WebSessionRow.id_hash == id_hash)
        return self._session.scalar(query)

    def get(self, session_id: int) -> WebSessionRow | None:
        return self._session.get(WebSessionRow, session_id)

    def of_user(self, user_id: int, now: dt.datetime) -> list[WebSessionRow]:
        query = (
            select(WebSessionRow)
            .where(
                WebSessionRow.user_id == user_id,
                WebSessionRow.expires_at > now,
                WebSessionRow.idle_expires_at > now,
            )
            .order_by(WebSessionRow.last_seen_at.desc())
        )
        return list(self._session.scalars(query))

    def seen(self, session_id: int, at: dt.datetime, idle_until: dt.datetime) -> None:
        self._session.execute(
            update(WebSessionRow)
            .where(WebSessionRow.id == session_id)
            .values(last_seen_at=at, idle_expires_at=idle_until)
        )

    def delete(self, session_id: int) -> int:
        done = self._session.execute(
            delete(WebSessionRow).where(WebSessionRow.id == session_id)
        )
        return int(getattr(done, "rowcount", 0) or 0)

    def delete_of_user(self, user_id: int, keep: int | None = None) -> int:
        query = delete(WebSessionRow).where(WebSessionRow.user_id == user_id)
        if keep is not None:
            query = query.where(WebSessionRow.id != keep)
        return int(getattr(self._session.execute(query), "rowcount", 0) or 0)

    def delete_expired(self, now: dt.datetime) -> None:
        self._session.execute(
            delete(WebSessionRow).where(
                (WebSessionRow.expires_at <= now)
                | (WebSessionRow.idle_expires_at <= now)
            )
        )


class SigninFailures:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, username: str, address: str, at: dt.datetime) -> None:
        self._session.add(
            SigninFailureRow(username=username, client_address=address, failed_at=at)
        )
        self._session.flush()

    def of_username(self, username: str, since: dt.datetime) -> list[dt.datetime]:
        query = (
            select(SigninFailureRow.failed_at)
            .where(
                SigninFailureRow.username == username,
                SigninFailureRow.failed_at > since,
            )
            .order_by(SigninFailureRow.failed_at)
        )
        return list(self._session.scalars(query))

    def from_address(
        self, address: str, since: dt.datetime
    ) -> tuple[int, int, dt.datetime | None]:
        """Failures from ``address`` since then: count, distinct usernames, oldest."""
        query = select(
            func.count(),
            func.count(SigninFailureRow.username.distinct()),
            func.min(SigninFailureRow.failed_at),
        ).where(
            SigninFailureRow.client_address == address,
            SigninFailureRow.failed_at > since,
        )
        count, names, oldest = self._session.execute(query).one()
        if isinstance(oldest, dt.datetime) and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=dt.UTC)  # an aggregate skips the column type
        return int(count), int(names), oldest

    def clear_username(self, username: str) -> None:
        self._session.execute(
            delete(SigninFailureRow).where(SigninFailureRow.username == username)
        )

    def delete_before(self, before: dt.datetime) -> None:
        self._session.execute(
            delete(SigninFailureRow).where(SigninFailureRow.failed_at <= before)
        )


class UsedNonces:
    def __init__(self, session: Session) -> None:
        self._session = session

    def is_used(self, kind: str, value: str, now: dt.datetime) -> bool:
        query = select(UsedNonceRow.id).where(
            UsedNonceRow.kind == kind,
            UsedNonceRow.value == value,
            UsedNonceRow.expires_at > now,
        )
        return self._session.scalar(query) is not None

    def add(self, kind: str, value: str, expires_at: dt.datetime) -> None:
        self._session.add(UsedNonceRow(kind=kind, value=value, expires_at=expires_at))
        self._session.flush()

    def claim(self, kind: str, value: str, expires_at: dt.datetime) -> bool:
        """Insert the value unless it is there (``ON CONFLICT DO NOTHING``: no error,
        so the transaction goes on); True when this call inserted it. Delete the
        expired values first for an expired one not to count."""
        backend = self._session.get_bind().dialect.name
        dialect = postgresql if backend == "postgresql" else sqlite
        statement = (
            dialect.insert(UsedNonceRow)
            .values(kind=kind, value=value, expires_at=expires_at)
            .on_conflict_do_nothing(index_elements=["kind", "value"])
            .returning(UsedNonceRow.id)
        )
        return self._session.execute(statement).first() is not None

    def delete_expired(self, now: dt.datetime) -> None:
        self._session.execute(
            delete(UsedNonceRow).where(UsedNonceRow.expires_at <= now)
        )
