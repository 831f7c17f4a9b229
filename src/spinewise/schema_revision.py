"""The database's schema revision, read cheaply (``spinewise db status``).

Importing SQLAlchemy, Alembic and every table module takes most of a second before
anything is asked of the database. Here none of them is imported: the newest
revision this Spinewise knows is read from the migration files' ``revision`` and
``down_revision`` lines, and the database's revision from its ``alembic_version``
table with the driver alone (``sqlite3``; psycopg for PostgreSQL). Migrating stays
with ``spinewise.store.migrate``; a test holds both to the same answers.

A SQLite file that does not exist is reported as an empty schema and is not created.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from spinewise.errors import N_, FieldProblem, InputError, StoreError

VERSIONS = Path(__file__).resolve().parent / "store" / "migrations" / "versions"
_DRIVERS = {"postgres": "postgresql+psycopg", "postgresql": "postgresql+psycopg"}
_URL = re.compile(r"^(?P<scheme>[\w+.-]+)://(?P<rest>.*)$", re.DOTALL)
_LINE = re.compile(
    r"^(?P<name>revision|down_revision)\s*(?::[^=]*)?=\s*(?P<value>.+?)\s*$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class SchemaStatus:
    """Backend, URL (password hidden), the schema revision and the newest one."""

    backend: str
    url: str
    revision: str | None
    head: str
    quarantined: int = 0  # unreadable audit spool lines set aside (a SQLite file)
    quarantine: str | None = None  # the file they are in

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head


def _problem(message: str) -> InputError:
    return InputError([FieldProblem("database_url", message)])


def _scheme(url: str) -> tuple[str, str]:
    """(driver name as the store names it, the rest of the URL)."""
    match = _URL.match(url.strip())
    if match is None:
        raise _problem(f"Could not parse SQLAlchemy URL from string '{url}'")
    scheme = match["scheme"]
    scheme = _DRIVERS.get(scheme, scheme)
    backend = scheme.split("+", 1)[0]
    if backend not in ("sqlite", "postgresql"):
        raise _problem(
            f"unsupported database {backend!r}; "
            "allowed: sqlite:///PATH or postgresql://USER@HOST/NAME"
        )
    return scheme, match["rest"]


def shown_url(url: str) -> str:
    """The URL as the store shows it: its driver named, the password as ``***``."""
    scheme, rest = _scheme(url)
    credentials, at, place = rest.rpartition("@")
    if at and ":" in credentials.split("/", 1)[0]:
        user = credentials.split(":", 1)[0]
        rest = f"{user}:***@{place}"
    return f"{scheme}://{rest}"


def head_of_migrations(folder: Path = VERSIONS) -> str:
    """The newest revision of the migration files: the one no other revises."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for path in sorted(folder.glob("*.py")):
        found = {m["name"]: m["value"] for m in _LINE.finditer(path.read_text("utf-8"))}
        if "revision" not in found:
            continue
        revisions.add(found["revision"].strip("'\""))
        down = found.get("down_revision", "None")
        revised.update(re.findall(r"['\"]([^'\"]+)['\"]", down))
    heads = sorted(revisions - revised)
    if len(heads) != 1:
        raise StoreError(
            N_(
                "the migrations have {value} heads: {heads}",
                value=len(heads) or "no",
                heads=heads,
            )
        )
    return heads[0]


def _sqlite_path(rest: str) -> str:
    return unquote(rest[1:].split("?", 1)[0]) if rest.startswith("/") else ""


def _quarantine(rest: str) -> tuple[int, str | None]:
    """How many audit spool lines a SQLite file's import set aside, and where (the
    names of store/audit_spool_file.py and audit_spool_quarantine.py; a test holds
    them to the store's)."""
    path = _sqlite_path(rest)
    if path in ("", ":memory:"):
        return 0, None
    database = Path(path)
    file = database.with_name(database.name + ".audit-spool") / "quarantine.jsonl"
    try:
        return file.read_bytes().count(b"\n"), str(file)
    except OSError:  # none, or unreadable by this user: nothing said
        return 0, None


def _sqlite_revision(rest: str) -> str | None:
    import sqlite3

    path = _sqlite_path(rest)
    if path in ("", ":memory:") or not Path(path).exists():
        return None
    connection = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        known = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
            ("alembic_version",),
        ).fetchone()
        if known is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return None if row is None else str(row[0])
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            N_("cannot read the SQLite database: {exc}", exc=exc)
        ) from None
    finally:
        connection.close()


def _postgresql_revision(rest: str) -> str | None:
    import psycopg

    try:
        with psycopg.connect(f"postgresql://{rest}", connect_timeout=10) as connection:
            row = connection.execute(
                "SELECT to_regclass('alembic_version') IS NOT NULL"
            ).fetchone()
            if row is None or not row[0]:
                return None
            version = connection.execute(
                "SELECT version_num FROM alembic_version"
            ).fetchone()
            return None if version is None else str(version[0])
    except psycopg.Error as exc:
        raise StoreError(
            N_("cannot read the PostgreSQL database: {exc}", exc=exc)
        ) from None


def schema_status(url: str) -> SchemaStatus:
    """The status ``spinewise db status`` prints, without SQLAlchemy or Alembic."""
    scheme, rest = _scheme(url)
    backend = scheme.split("+", 1)[0]
    if backend == "sqlite":
        revision = _sqlite_revision(rest)
        quarantined, quarantine = _quarantine(rest)
    else:
        revision = _postgresql_revision(rest)
        quarantined, quarantine = 0, None
    return SchemaStatus(
        backend, shown_url(url), revision, head_of_migrations(), quarantined, quarantine
    )
