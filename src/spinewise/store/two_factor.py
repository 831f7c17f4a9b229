"""One-time recovery codes of two-factor sign-in: only their SHA-256 is stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from spinewise.store.columns import UtcDateTime, utc_now
from spinewise.store.tables import Base


class RecoveryCodeRow(Base):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    used_at: Mapped[dt.datetime | None]


class RecoveryCodes:
    """A user's recovery codes: replaced as a set, each used at most once."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def replace(self, user_id: int, code_hashes: list[str]) -> None:
        self.remove(user_id)
        self._session.add_all(
            RecoveryCodeRow(user_id=user_id, code_hash=h) for h in code_hashes
        )
        self._session.flush()

    def remove(self, user_id: int) -> None:
        self._session.execute(
            delete(RecoveryCodeRow).where(RecoveryCodeRow.user_id == user_id)
        )

    def use(self, user_id: int, code_hash: str, at: dt.datetime) -> bool:
        """Mark an unused code as used; False when there is none (atomic)."""
        done = self._session.execute(
            update(RecoveryCodeRow)
            .where(
                RecoveryCodeRow.user_id == user_id,
                RecoveryCodeRow.code_hash == code_hash,
                RecoveryCodeRow.used_at.is_(None),
            )
            .values(used_at=at)
        )
        return bool(getattr(done, "rowcount", 0))

    def unused(self, user_id: int) -> int:
        query = select(RecoveryCodeRow.id).where(
            RecoveryCodeRow.user_id == user_id, RecoveryCodeRow.used_at.is_(None)
        )
        return len(list(self._session.scalars(query)))
