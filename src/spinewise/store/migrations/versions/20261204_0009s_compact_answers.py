"""Compact storage: assessments and decision inputs as packed answers, outputs deflated.

Revision ID: 0009s
Revises: 0009d
Create Date: 2026-12-04

``assessments.document`` becomes ``assessments.answers``, ``decisions.input`` becomes
``decisions.answers`` (both: a positional JSON array in layout 1, ``store.packing``)
and ``decisions.output`` becomes ``decisions.outcome`` (format 1: zlib over compact
JSON). Every existing row is converted, both ways, in batches. The packing module is
used as it is: layout 1 and format 1 never change once written (a new form gets a
new number beside them), which is what lets old rows be read at all.

Stored assessments and decisions are immutable: the guard triggers that refuse an
UPDATE are dropped for the conversion and made again after it (on SQLite the batch
copy of a table drops its triggers anyway), as revision 0009d left them: an UPDATE
goes through only while the row's patient is being erased. Exempt from the
module-size norm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

from spinewise.store.packing import (
    pack_answers,
    pack_outcome,
    unpack_answers,
    unpack_outcome,
)

revision: str = "0009s"
down_revision: str | None = "0009d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
_GUARDS = {
    "assessments": "assessments are immutable once submitted; amend instead",
    "decisions": "decisions are immutable",
}
_ERASING = "EXISTS (SELECT 1 FROM patients WHERE id = OLD.patient_id AND erasing)"


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _drop_guards() -> None:
    for table in _GUARDS:
        name = f"{table}_no_update"
        op.execute(
            f"DROP TRIGGER IF EXISTS {name}" + ("" if _sqlite() else f" ON {table}")
        )


def _create_guards() -> None:
    for table, message in _GUARDS.items():
        name = f"{table}_no_update"
        if _sqlite():
            op.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
                f"WHEN NOT {_ERASING} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        else:
            op.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} FOR EACH ROW "
                f"EXECUTE FUNCTION spinewise_refuse_unless_erasing('{message}')"
            )


def _json(value: Any) -> Any:
    """A JSON column's value as Python (SQLite gives text, psycopg parsed values)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


def _convert(
    table: str,
    sources: Sequence[sa.ColumnClause[Any]],
    targets: Sequence[sa.ColumnClause[Any]],
    convert: Callable[[sa.Row[Any]], dict[str, Any]],
) -> None:
    """Fill ``targets`` from ``sources`` for every row of ``table``, BATCH at a time."""
    rows = sa.table(table, sa.column("id", sa.Integer()), *sources, *targets)
    change = (
        rows.update()
        .where(rows.c.id == sa.bindparam("row_id"))
        .values({t.name: sa.bindparam(f"new_{t.name}") for t in targets})
    )
    bind = op.get_bind()
    last = 0
    while True:
        found = bind.execute(
            sa.select(rows.c.id, *(rows.c[s.name] for s in sources))
            .where(rows.c.id > last)
            .order_by(rows.c.id)
            .limit(BATCH)
        ).all()
        if not found:
            return
        values = [{"row_id": row.id} | convert(row) for row in found]
        bind.execute(change, values)
        last = found[-1].id


def _add(table: str, *columns: sa.Column[Any]) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column in columns:
            batch_op.add_column(column)


def _settle(
    table: str, required: Sequence[tuple[str, Any]], old: Sequence[str]
) -> None:
    """Make the filled columns required and drop the ones they replace."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        for name, type_ in required:
            batch_op.alter_column(name, existing_type=type_, nullable=False)
        for name in old:
            batch_op.drop_column(name)


def upgrade() -> None:
    _drop_guards()
    _add("assessments", sa.Column("answers", sa.Text(), nullable=True))
    _add(
        "decisions",
        sa.Column("answers", sa.Text(), nullable=True),
        sa.Column("outcome", sa.LargeBinary(), nullable=True),
    )
    _convert(
        "assessments",
        [sa.column("document", sa.Text())],
        [sa.column("answers", sa.Text())],
        lambda row: {"new_answers": pack_answers(_json(row.document))},
    )
    _convert(
        "decisions",
        [sa.column("input", sa.Text()), sa.column("output", sa.Text())],
        [sa.column("answers", sa.Text()), sa.column("outcome", sa.LargeBinary())],
        lambda row: {
            "new_answers": pack_answers(_json(row.input)),
            "new_outcome": pack_outcome(_json(row.output)),
        },
    )
    _settle("assessments", [("answers", sa.Text())], ["document"])
    _settle(
        "decisions",
        [("answers", sa.Text()), ("outcome", sa.LargeBinary())],
        ["input", "output"],
    )
    _create_guards()


def downgrade() -> None:
    _drop_guards()
    _add("assessments", sa.Column("document", sa.JSON(), nullable=True))
    _add(
        "decisions",
        sa.Column("input", sa.JSON(), nullable=True),
        sa.Column("output", sa.JSON(), nullable=True),
    )
    _convert(
        "assessments",
        [sa.column("answers", sa.Text())],
        [sa.column("document", sa.JSON())],
        lambda row: {"new_document": unpack_answers(row.answers)},
    )
    _convert(
        "decisions",
        [sa.column("answers", sa.Text()), sa.column("outcome", sa.LargeBinary())],
        [sa.column("input", sa.JSON()), sa.column("output", sa.JSON())],
        lambda row: {
            "new_input": unpack_answers(row.answers),
            "new_output": unpack_outcome(row.outcome),
        },
    )
    _settle("assessments", [("document", sa.JSON())], ["answers"])
    _settle(
        "decisions",
        [("input", sa.JSON()), ("output", sa.JSON())],
        ["answers", "outcome"],
    )
    _create_guards()
