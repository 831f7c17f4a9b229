"""Ending a course early: how and why it ended, and due items cancelled with it.

Revision ID: 0010t
Revises: 0009i
Create Date: 2026-12-04

A new table ``course_endings`` (one row per ended plan) and a nullable
``questionnaire_due.cancelled_at``; the column is added without a table copy.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010t"
down_revision: str | None = "0009i"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "course_endings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("ending", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=False),
        sa.Column("ended_by", sa.Integer(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ending IN ('completed_early', 'discontinued')",
                           name=op.f("ck_course_endings_ending_known")),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"],
                                name=op.f("fk_course_endings_clinic_id_clinics")),
        sa.ForeignKeyConstraint(["ended_by"], ["users.id"],
                                name=op.f("fk_course_endings_ended_by_users")),
        sa.ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"],
            name=op.f("fk_course_endings_patient_id_clinic_id_patients")),
        sa.ForeignKeyConstraint(["plan_id"], ["course_plans.id"],
                                name=op.f("fk_course_endings_plan_id_course_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_endings")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_course_endings_plan_id")),
    )  # fmt: skip
    with op.batch_alter_table("questionnaire_due") as batch:
        batch.add_column(
            sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_due") as batch:
        batch.drop_column("cancelled_at")
    op.drop_table("course_endings")
