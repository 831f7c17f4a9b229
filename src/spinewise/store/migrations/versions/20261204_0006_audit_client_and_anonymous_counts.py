"""Audit events say where they came from and which patients a list showed; counters
per client address (anonymous refusals, anonymous request rate).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Written by hand, reviewed (exempt from the module-size norm). The audit log's columns
are added and dropped with plain ``ALTER TABLE`` on both databases, never in batch
mode: batch mode would copy the table on SQLite and lose the triggers that keep it
append-only (``test_the_audit_log_stays_append_only_after_the_upgrade`` proves it).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "audit_log", sa.Column("client_address", sa.String(length=64), nullable=True)
    )
    op.add_column("audit_log", sa.Column("patient_ids", sa.Text(), nullable=True))
    op.create_table(
        "address_counters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_counters")),
        sa.UniqueConstraint(
            "address",
            "kind",
            "window_start",
            name=op.f("uq_address_counters_address_kind_window_start"),
        ),
    )


def downgrade() -> None:
    op.drop_table("address_counters")
    op.drop_column("audit_log", "patient_ids")
    op.drop_column("audit_log", "client_address")
