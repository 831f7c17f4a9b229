"""FHIR import provenance: patients' foreign identifiers and the resources imported.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

Written after Alembic's autogenerate output, then reviewed (exempt from the
module-size norm).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patient_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=255), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinic_id"],
            ["clinics.id"],
            name=op.f("fk_patient_identifiers_clinic_id_clinics"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id", "clinic_id"],
            ["patients.id", "patients.clinic_id"],
            name=op.f("fk_patient_identifiers_patient_id_clinic_id_patients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_identifiers")),
    )
    with op.batch_alter_table("patient_identifiers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_identifiers_clinic_id_system_value"),
            ["clinic_id", "system", "value"],
            unique=True,
        )
        batch_op.create_index(
            batch_op.f("ix_patient_identifiers_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "fhir_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("resource_type", sa.String(length=64), nullable=False),
        sa.Column("fhir_id", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_fhir_imports_assessment_id_assessments"),
        ),
        sa.ForeignKeyConstraint(
            ["clinic_id"], ["clinics.id"], name=op.f("fk_fhir_imports_clinic_id_clinics")
        ),
        sa.ForeignKeyConstraint(
            ["imported_by"], ["users.id"], name=op.f("fk_fhir_imports_imported_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id", "clinic_id"],
            ["patients.id", "patients.clinic_id"],
            name=op.f("fk_fhir_imports_patient_id_clinic_id_patients"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fhir_imports")),
    )
    with op.batch_alter_table("fhir_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_fhir_imports_clinic_id_resource_type_source_fhir_id"),
            ["clinic_id", "resource_type", "source", "fhir_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("fhir_imports", schema=None) as batch_op:
        batch_op.drop_index(
            batch_op.f("ix_fhir_imports_clinic_id_resource_type_source_fhir_id")
        )
    op.drop_table("fhir_imports")
    with op.batch_alter_table("patient_identifiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_identifiers_patient_id"))
        batch_op.drop_index(batch_op.f("ix_patient_identifiers_clinic_id_system_value"))
    op.drop_table("patient_identifiers")
