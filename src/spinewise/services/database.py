"""Operating the database: open, migrate, check the schema, back up.

These are operator actions (whoever holds the database URL): no actor, but a backup is
an export of every clinic's records, so it is written to the audit trail.
"""

from __future__ import annotations

from pathlib import Path

from spinewise.errors import N_, StoreError
from spinewise.services.access.actors import Interface
from spinewise.services.audit import Action, system_event
from spinewise.services.records import DatabaseStatus
from spinewise.store import (
    Store,
    backup_database,
    current_revision,
    downgrade,
    has_tables,
    head_revision,
    upgrade,
)


def database_status(store: Store) -> DatabaseStatus:
    """Backend, URL (password hidden), the schema revision and the newest one."""
    return DatabaseStatus(
        backend=store.backend,
        url=store.url.render_as_string(hide_password=True),
        revision=current_revision(store),
        head=head_revision(),
    )


def upgrade_database(store: Store, revision: str = "head") -> DatabaseStatus:
    """Apply the migrations up to ``revision``."""
    upgrade(store, revision)
    return database_status(store)


def downgrade_database(store: Store, revision: str) -> DatabaseStatus:
    """Undo migrations down to ``revision`` (``base``: drop every Spinewise table)."""
    downgrade(store, revision)
    return database_status(store)


def ensure_schema(store: Store, *, create_if_empty: bool) -> DatabaseStatus:
    """Check the schema is current; create it first in an empty database if asked.

    The lone therapist's SQLite file is created on first use; a PostgreSQL database
    is migrated deliberately with ``spinewise db upgrade``.
    """
    status = database_status(store)
    if status.revision is None and create_if_empty and not has_tables(store):
        return upgrade_database(store)
    if not status.up_to_date:
        raise StoreError(
            N_(
                "the database schema is at {value}, this Spinewise needs {head}: run `spinewise db upgrade` (after a backup)",
                value=status.revision or "nothing",
                head=status.head,
            )
        )
    return status


def backup(store: Store, target: Path, interface: Interface = Interface.CLI) -> Path:
    """A consistent copy of the whole database at ``target``; audited as an export."""
    store.flush_audit()  # the read events this process spooled go into the copy
    written = backup_database(store, target)
    with store.unit_of_work(write=True) as uow:
        uow.audit.append(
            [
                system_event(
                    interface,
                    Action.EXPORT,
                    "database",
                    detail={"path": str(written), "backend": store.backend},
                )
            ]
        )
    return written
