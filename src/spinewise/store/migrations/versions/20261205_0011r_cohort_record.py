"""Cohort records: each decision's input fields as a fixed-width record for cohort reads.

Revision ID: 0011r
Revises: 0010t
Create Date: 2026-12-05

Two nullable columns on ``decisions``: ``cohort`` (the input's cohort fields, record
layout 1 of ``store.cohort_record``) and ``cohort_lists`` (its three lists as JSON),
filled in for every existing row from its packed answers, in batches. The record
module is used as it is: record layout 1 never changes once written (its fingerprint
is pinned). Decisions are immutable: the guard trigger refusing an UPDATE is dropped
for the fill and made again after it, as revision 0009s left it. The columns are
added and dropped in place (no table copy), so the other triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from spinewise.store.cohort_record import cohort_record
from spinewise.store.packing import unpack_answers

revision: str = "0011r"
down_revision: str | None = "0011t"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
_GUARD = "decisions_no_update"
_MESSAGE = "decisions are immutable"
_ERASING = "EXISTS (SELECT 1 FROM patients WHERE id = OLD.patient_id AND erasing)"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _drop_guard() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {_GUARD}" + ("" if _sqlite() else " ON decisions"))


def _create_guard() -> None:
    if _sqlite():
        op.execute(
            f"CREATE TRIGGER {_GUARD} BEFORE UPDATE ON decisions "
            f"WHEN NOT {_ERASING} "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
    else:
        op.execute(
            f"CREATE TRIGGER {_GUARD} BEFORE UPDATE ON decisions FOR EACH ROW "
            f"EXECUTE FUNCTION spinewise_refuse_unless_erasing('{_MESSAGE}')"
        )


def _fill() -> None:
    rows = sa.table(
        "decisions",
        sa.column("id", sa.Integer()),
        sa.column("answers", sa.Text()),
        sa.column("cohort", sa.LargeBinary()),
        sa.column("cohort_lists", sa.Text()),
    )
    change = (
        rows.update()
        .where(rows.c.id == sa.bindparam("row_id"))
        .values(cohort=sa.bindparam("new_cohort"), cohort_lists=sa.bindparam("new_lists"))
    )
    bind = op.get_bind()
    last = 0
    while True:
        found = bind.execute(
            sa.select(rows.c.id, rows.c.answers)
            .where(rows.c.id > last)
            .order_by(rows.c.id)
            .limit(BATCH)
        ).all()
        if not found:
            return
        values = []
        for row in found:
            record, lists = cohort_record(unpack_answers(row.answers), row.answers)
            values.append({"row_id": row.id, "new_cohort": record, "new_lists": lists})
        bind.execute(change, values)
        last = found[-1].id


def upgrade() -> None:
    op.add_column("decisions", sa.Column("cohort", sa.LargeBinary(), nullable=True))
    op.add_column("decisions", sa.Column("cohort_lists", sa.Text(), nullable=True))
    _drop_guard()
    _fill()
    _create_guard()


def downgrade() -> None:
    with op.batch_alter_table("decisions", recreate="never") as batch_op:
        batch_op.drop_column("cohort_lists")
        batch_op.drop_column("cohort")
