"""Patients' normalised search key (search in any script) and their edit history.

Revision ID: 0008d
Revises: 0007
Create Date: 2026-12-04

Fills the key of every existing patient with the rule of ``store/search.py`` as it
stood when written (copied here so that the migration never changes with the code).
Exempt from the module-size norm.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008d"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u0451", "\u0435")
    shown = "".join(c for c in folded if unicodedata.category(c) != "Cc" or c.isspace())
    return " ".join(shown.split())


def _key(name: str, record_number: str, birth_date: dt.date | None) -> str:
    parts = [_normalise(name), _normalise(record_number)]
    if birth_date is not None:
        parts += [birth_date.isoformat(), birth_date.strftime("%d.%m.%Y")]
    return " | ".join(parts)


def _revisions() -> None:
    op.create_table(
        "patient_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.Integer(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["users.id"],
            name=op.f("fk_patient_revisions_changed_by_users"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"],
            name=op.f("fk_patient_revisions_clinic_id_clinics"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id", "clinic_id"], ["patients.id", "patients.clinic_id"],
            name=op.f("fk_patient_revisions_patient_id_clinic_id_patients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_revisions")),
    )  # fmt: skip
    with op.batch_alter_table("patient_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_revisions_patient_id"), ["patient_id"], unique=False
        )


def upgrade() -> None:
    _revisions()
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.Text(), nullable=False, server_default="")
        )
    patients = sa.table(
        "patients",
        sa.column("id", sa.Integer()),
        sa.column("record_number", sa.String()),
        sa.column("name", sa.String()),
        sa.column("birth_date", sa.Date()),
        sa.column("search_key", sa.Text()),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            patients.c.id,
            patients.c.name,
            patients.c.record_number,
            patients.c.birth_date,
        )
    ).all()
    for row in rows:
        bind.execute(
            patients.update()
            .where(patients.c.id == row.id)
            .values(search_key=_key(row.name, row.record_number, row.birth_date))
        )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_column("search_key")
    with op.batch_alter_table("patient_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_revisions_patient_id"))
    op.drop_table("patient_revisions")
