"""Server-side web sessions, the instance secret, failed sign-ins, one-time values and
the last use of API tokens.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Written by hand after Alembic's autogenerate (exempt from the module-size norm).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _when(name: str, *, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "instance_secrets",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        _when("created_at"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_instance_secrets")),
    )
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        _when("idle_expires_at"),
        _when("expires_at"),
        sa.Column("client_address", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_sessions")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_web_sessions_id_hash")),
    )
    op.create_index(
        op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False
    )
    op.create_table(
        "signin_failures",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("client_address", sa.String(length=64), nullable=False),
        _when("failed_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signin_failures")),
    )
    op.create_index(
        op.f("ix_signin_failures_username_failed_at"),
        "signin_failures",
        ["username", "failed_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_signin_failures_client_address_failed_at"),
        "signin_failures",
        ["client_address", "failed_at"],
        unique=False,
    )
    op.create_table(
        "used_nonces",
        sa.Column("id", _BIG_ID, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        _when("expires_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_used_nonces")),
        sa.UniqueConstraint("kind", "value", name=op.f("uq_used_nonces_kind_value")),
    )
    op.create_index(
        op.f("ix_used_nonces_expires_at"), "used_nonces", ["expires_at"], unique=False
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(_when("last_used_at", nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("last_used_at")
    op.drop_index(op.f("ix_used_nonces_expires_at"), table_name="used_nonces")
    op.drop_table("used_nonces")
    op.drop_index(
        op.f("ix_signin_failures_client_address_failed_at"),
        table_name="signin_failures",
    )
    op.drop_index(
        op.f("ix_signin_failures_username_failed_at"), table_name="signin_failures"
    )
    op.drop_table("signin_failures")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_table("instance_secrets")
