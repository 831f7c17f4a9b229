"""Audit spools: how much of each spool file of read events is in the audit log.

Revision ID: 0011a
Revises: 0010t
Create Date: 2026-12-05

A new table ``audit_spool_imports`` (store/audit_spool.py): one row per spool file
being imported, its offset committed with the events it imported.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011a"
down_revision: str | None = "0011r"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_spool_imports",
        sa.Column("spool", sa.String(length=64), nullable=False),
        sa.Column("imported", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("spool", name=op.f("pk_audit_spool_imports")),
    )


def downgrade() -> None:
    op.drop_table("audit_spool_imports")
