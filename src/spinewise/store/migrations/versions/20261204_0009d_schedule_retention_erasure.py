"""Scheduling and erasure: plans' therapist, planned sessions moved, clinics' retention
period, patients' erasure, and guards on signed rows that let an erasure through.

Revision ID: 0009d
Revises: 0008o
Create Date: 2026-12-04

Reviewed by hand (exempt from the module-size norm). The guards of revisions 0001 and
0002 on ``assessments``, ``decisions`` and ``session_notes`` are replaced by guards
that still refuse every UPDATE, except while the row's patient is being erased (the
patient's ``erasing`` flag, set and cleared inside the erasing transaction). Columns
are added without a table copy, so no other trigger is lost on SQLite.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009d"
down_revision: str | None = "0008o"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GUARDED = [
    ("assessments", "assessments_no_update",
     "assessments are immutable once submitted; amend instead"),
    ("decisions", "decisions_no_update", "decisions are immutable"),
    ("session_notes", "session_notes_no_update",
     "signed session notes are immutable; amend instead"),
]  # fmt: skip
_ERASING = "EXISTS (SELECT 1 FROM patients WHERE id = OLD.patient_id AND erasing)"


def _schedule_table() -> None:
    op.create_table(
        "session_schedule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("session_number", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("planned_time", sa.String(length=5), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["changed_by"], ["users.id"],
                                name=op.f("fk_session_schedule_changed_by_users")),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"],
                                name=op.f("fk_session_schedule_clinic_id_clinics")),
        sa.ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"],
            name=op.f("fk_session_schedule_patient_id_clinic_id_patients")),
        sa.ForeignKeyConstraint(["plan_id"], ["course_plans.id"],
                                name=op.f("fk_session_schedule_plan_id_course_plans")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_schedule")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_session_schedule_clinic_id_plan_id"),
        "session_schedule",
        ["clinic_id", "plan_id"],
    )


def _columns() -> None:
    op.add_column("clinics", sa.Column("retention_years", sa.Integer(), nullable=True))
    op.add_column("patients", sa.Column("erased_at", sa.DateTime(timezone=True)))
    op.add_column(
        "patients",
        sa.Column("erasing", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in place (no table copy).
        op.execute(
            "ALTER TABLE course_plans ADD COLUMN therapist_id INTEGER "
            "CONSTRAINT fk_course_plans_therapist_id_users REFERENCES users (id)"
        )
        return
    op.add_column("course_plans", sa.Column("therapist_id", sa.Integer()))
    op.create_foreign_key(
        op.f("fk_course_plans_therapist_id_users"),
        "course_plans",
        "users",
        ["therapist_id"],
        ["id"],
    )


def _guards(*, erasable: bool) -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, name, message in _GUARDED:
        op.execute(f"DROP TRIGGER {name}" if sqlite else f"DROP TRIGGER {name} ON {table}")
        if sqlite:
            when = f" WHEN NOT {_ERASING}" if erasable else ""
            op.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table}{when} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        else:
            function = "spinewise_refuse_unless_erasing" if erasable else (
                "spinewise_refuse_change")
            op.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION {function}('{message}')"
            )


def upgrade() -> None:
    _columns()
    _schedule_table()
    if op.get_bind().dialect.name != "sqlite":
        op.execute(
            "CREATE FUNCTION spinewise_refuse_unless_erasing() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN IF {_ERASING} THEN RETURN NEW; END IF; "
            "RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; "
            "END $$"
        )
    _guards(erasable=True)


def downgrade() -> None:
    _guards(erasable=False)
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP FUNCTION spinewise_refuse_unless_erasing()")
    op.drop_index(op.f("ix_session_schedule_clinic_id_plan_id"), "session_schedule")
    op.drop_table("session_schedule")
    with op.batch_alter_table("course_plans", schema=None) as batch_op:
        if op.get_bind().dialect.name != "sqlite":
            batch_op.drop_constraint(
                op.f("fk_course_plans_therapist_id_users"), type_="foreignkey"
            )
        batch_op.drop_column("therapist_id")
    _restore_plan_guard()
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_column("erasing")
        batch_op.drop_column("erased_at")
    with op.batch_alter_table("clinics", schema=None) as batch_op:
        batch_op.drop_column("retention_years")


def _restore_plan_guard() -> None:
    """Revision 0002's trigger on course_plans, lost by SQLite's batch copy."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER IF EXISTS course_plans_fixed_content")
    op.execute(
        "CREATE TRIGGER course_plans_fixed_content BEFORE UPDATE OF plan, "
        "decision_id, patient_id, clinic_id, start_date ON course_plans "
        "BEGIN SELECT RAISE(ABORT, 'an issued plan is immutable; issue a new one'); END"
    )
