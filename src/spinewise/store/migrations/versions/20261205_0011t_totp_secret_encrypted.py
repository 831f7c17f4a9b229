"""TOTP secrets encrypted at rest: ``users.totp_secret`` widened to 160 characters.

Revision ID: 0011t
Revises: 0010t
Create Date: 2026-12-05

The encrypted form ``v1:<key id>:<base64url(nonce + ciphertext + tag)>`` of a
32-character seed is 92 characters. The seeds themselves are encrypted by the
application (Alembic has no key): at web app start and by
``spinewise keys encrypt-totp``. A downgrade is refused while any seed is encrypted:
the older code cannot read one, and only the application holds the key.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spinewise.errors import N_, StoreError

revision: str = "0011t"
down_revision: str | None = "0010t"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret",
            existing_type=sa.String(length=64),
            type_=sa.String(length=160),
            existing_nullable=True,
        )


def downgrade() -> None:
    sealed = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM users WHERE totp_secret LIKE 'v1:%'")
    )
    if sealed:
        raise StoreError(
            N_(
                "users.totp_secret: {count} two-factor secrets are encrypted and the "
                "older schema cannot read them; reset two-factor sign-in for those "
                "users or restore a backup first",
                count=sealed,
            )
        )
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret",
            existing_type=sa.String(length=160),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
