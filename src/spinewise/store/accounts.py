"""Repositories of clinics, users and API tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spinewise.store.reads import UserReads, session_rows
from spinewise.store.tables import ApiTokenRow, ClinicRow, UserRow


class Clinics:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, name: str) -> ClinicRow:
        row = ClinicRow(name=name)
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, clinic_id: int) -> ClinicRow | None:
        return self._session.get(ClinicRow, clinic_id)

    def by_name(self, name: str) -> ClinicRow | None:
        return self._session.scalar(select(ClinicRow).where(ClinicRow.name == name))

    def all(self) -> list[ClinicRow]:
        return list(self._session.scalars(select(ClinicRow).order_by(ClinicRow.id)))


class Users(UserReads):
    def __init__(self, session: Session) -> None:
        super().__init__(session_rows(session))
        self._session = session

    def add(
        self,
        *,
        clinic_id: int,
        username: str,
        display_name: str,
        role: str,
        password_hash: str,
        must_change_password: bool = False,
    ) -> UserRow:
        row = UserRow(
            clinic_id=clinic_id,
            username=username,
            display_name=display_name,
            role=role,
            password_hash=password_hash,
            active=True,
            must_change_password=must_change_password,
        )
        self._session.add(row)
        self._session.flush()
        return row

    def get(self, user_id: int) -> UserRow | None:
        return self._session.get(UserRow, user_id)

    def by_username(self, username: str) -> UserRow | None:
        return self._session.scalar(select(UserRow).where(UserRow.username == username))

    def of_clinic(self, clinic_id: int) -> list[UserRow]:
        query = (
            select(UserRow).where(UserRow.clinic_id == clinic_id).order_by(UserRow.id)
        )
        return list(self._session.scalars(query))

    def names(self, user_ids: Iterable[int | None]) -> dict[int, str]:
        """Display names by id (for the users mentioned in a list of records)."""
        wanted = {i for i in user_ids if i is not None}
        if not wanted:
            return {}
        query = select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(wanted))
        return {row.id: row.display_name for row in self._session.execute(query)}

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._session.execute(
            update(UserRow)
            .where(UserRow.id == user_id)
            .values(password_hash=password_hash)
        )

    def set_active(self, row: UserRow, active: bool) -> UserRow:
        row.active = active
        self._session.flush()
        return row

    def set_role(self, row: UserRow, role: str) -> UserRow:
        row.role = role
        self._session.flush()
        return row

    def set_password(
        self, row: UserRow, password_hash: str, *, must_change: bool, at: dt.datetime
    ) -> UserRow:
        row.password_hash = password_hash
        row.must_change_password = must_change
        row.password_changed_at = at
        self._session.flush()
        return row

    def set_totp(
        self, row: UserRow, *, secret: str | None, enabled: bool, last_step: int | None
    ) -> UserRow:
        row.totp_secret = secret
        row.totp_enabled = enabled
        row.totp_last_step = last_step
        self._session.flush()
        return row

    # TOTP seeds encrypted at rest (revision 0011t)
    def with_totp_secret(self, *, lock: bool = True) -> list[UserRow]:
        """Every user with a TOTP secret (pending or on), locked until the
        transaction ends unless ``lock`` is False."""
        query = (
            select(UserRow).where(UserRow.totp_secret.is_not(None)).order_by(UserRow.id)
        )
        return list(self._session.scalars(query.with_for_update() if lock else query))

    def set_totp_secret(self, row: UserRow, secret: str) -> UserRow:
        """Replace the stored form of the user's TOTP secret (the same seed)."""
        row.totp_secret = secret
        self._session.flush()
        return row

    def active_with_role(self, clinic_id: int, role: str) -> list[UserRow]:
        """The clinic's active users of a role, locked until the transaction ends."""
        query = (
            select(UserRow)
            .where(
                UserRow.clinic_id == clinic_id,
                UserRow.role == role,
                UserRow.active.is_(True),
            )
            .order_by(UserRow.id)
            .with_for_update()
        )
        return list(self._session.scalars(query))


class ApiTokens:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        user_id: int,
        token_hash: str,
        label: str,
        expires_at: dt.datetime | None,
    ) -> ApiTokenRow:
        row = ApiTokenRow(
            user_id=user_id, token_hash=token_hash, label=label, expires_at=expires_at
        )
        self._session.add(row)
        self._session.flush()
        return row

    def by_hash(self, token_hash: str) -> ApiTokenRow | None:
        query = select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)
        return self._session.scalar(query)

    def get(self, token_id: int) -> ApiTokenRow | None:
        return self._session.get(ApiTokenRow, token_id)

    def of_users(self, user_ids: Iterable[int]) -> list[ApiTokenRow]:
        query = (
            select(ApiTokenRow)
            .where(ApiTokenRow.user_id.in_(list(user_ids)))
            .order_by(ApiTokenRow.id)
        )
        return list(self._session.scalars(query))

    def used(self, token_id: int, at: dt.datetime) -> None:
        self._session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id)
            .values(last_used_at=at)
        )

    def revoke(self, token_id: int, at: dt.datetime) -> None:
        self._session.execute(
            update(ApiTokenRow)
            .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
            .values(revoked_at=at)
        )
