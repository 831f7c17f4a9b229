"""A throw-away PostgreSQL cluster for the test run, and databases for every test.

``Cluster.start()`` finds ``/usr/lib/postgresql/*/bin``, runs ``initdb`` (through
``runuser -u postgres --`` when root, in a temporary folder under /tmp owned by
postgres), picks a free port and starts the server; ``stop()`` removes it all. The
fixtures in ``tests/store/conftest.py`` start it once per session and give each test a
fresh database (a copy of a migrated template). Without PostgreSQL binaries, or as a
non-root user who cannot run initdb, the PostgreSQL half is skipped with the reason,
except under ``CI=true`` where that is a failure.

``SPINEWISE_TEST_DATABASE_URL=postgresql://user@host:port/db`` uses that server instead
of starting one (the test databases are created beside ``db`` and dropped after).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from spinewise import services
from spinewise.services import Actor, Interface, Role
from spinewise.store import Store, open_store, upgrade

PG_ROOT = Path("/usr/lib/postgresql")


class PostgresUnavailable(Exception):
    """PostgreSQL cannot be provided here; the message says why."""


def _bin_dir() -> Path:
    versions = sorted(
        (p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not versions:
        raise PostgresUnavailable(
            f"no PostgreSQL server binaries under {PG_ROOT}/*/bin "
            "(run `make system-deps` to install postgresql)"
        )
    return versions[-1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    """A PostgreSQL server: either started here (``folder`` set) or given by URL."""

    admin_url: URL
    folder: Path | None = None
    bin_dir: Path | None = None
    _names: itertools.count[int] = field(default_factory=itertools.count)
    _created: list[str] = field(default_factory=list)

    @classmethod
    def start(cls, settings: Mapping[str, str] | None = None) -> Cluster:
        """A new cluster; ``settings`` override the test defaults (which trade
        durability for speed: fsync, synchronous_commit and full_page_writes off)."""
        bin_dir = _bin_dir()
        as_root = os.geteuid() == 0
        folder = Path(tempfile.mkdtemp(prefix="spinewise-pg-", dir="/tmp"))
        folder.chmod(0o755)
        if as_root:
            shutil.chown(folder, "postgres", "postgres")
        run = ["runuser", "-u", "postgres", "--"] if as_root else []
        data, port = folder / "data", _free_port()
        cluster = cls(
            make_url(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"),
            folder,
            bin_dir,
        )
        try:
            initdb = "-A trust -U postgres --no-sync -E UTF8 --locale=C".split()
            subprocess.run(
                [*run, str(bin_dir / "initdb"), "-D", str(data), *initdb],
                check=True,
                capture_output=True,
            )
            chosen = {
                "listen_addresses": "127.0.0.1",
                "fsync": "off",
                "synchronous_commit": "off",
                "full_page_writes": "off",
                **(settings or {}),
            }
            options = f"-p {port} -k {folder} " + " ".join(
                f"-c {name}={value}" for name, value in chosen.items()
            )
            log = str(folder / "pg.log")
            subprocess.run(
                [
                    *run,
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    log,
                    "-w",
                    "start",
                ],
                check=True,
                capture_output=True,
            )
        except (subprocess.CalledProcessError, OSError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            shutil.rmtree(folder, ignore_errors=True)
            raise PostgresUnavailable(
                f"cannot start PostgreSQL: {exc} {detail.decode(errors='replace')}"
            ) from exc
        return cluster

    @classmethod
    def from_url(cls, url: str) -> Cluster:
        parsed = make_url(url)
        return cls(parsed.set(drivername="postgresql+psycopg"))

    def stop(self) -> None:
        if self.folder is None or self.bin_dir is None:  # a server we were given
            for name in list(self._created):
                self.drop_database(name)
            return
        run = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [
                *run,
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(self.folder, ignore_errors=True)

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        url = self.admin_url
        return psycopg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            dbname=url.database,
            autocommit=True,
        )

    def url_of(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create_database(self, template: str | None = None) -> str:
        """A new database (a copy of ``template`` when given); returns its name."""
        name = f"spinewise_test_{os.getpid()}_{next(self._names)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with self._admin() as connection:
            connection.execute(statement)
        self._created.append(name)
        return name

    def drop_database(self, name: str) -> None:
        statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)
        )
        with self._admin() as connection:
            connection.execute(statement)
        if name in self._created:
            self._created.remove(name)


# --- fixtures: import them into a conftest.py (or a test module) to use them ---------
PASSWORD = "correct horse battery staple"
OVERRIDE = os.environ.get("SPINEWISE_TEST_DATABASE_URL", "")


def _backends() -> list[object]:
    postgres = pytest.param("postgresql", marks=pytest.mark.postgres)
    if OVERRIDE.startswith("sqlite"):
        return ["sqlite"]
    if OVERRIDE.startswith("postgres"):
        return [postgres]
    return ["sqlite", postgres]


BACKENDS = _backends()
ON_POSTGRESQL_ONLY = pytest.mark.parametrize(
    "backend", [b for b in BACKENDS if b != "sqlite"]
)


@dataclass(frozen=True)
class World:
    """Two clinics, each with an admin, a physician and a therapist (password PASSWORD)."""

    clinic_a: int
    clinic_b: int
    actors: dict[str, Actor]

    def __getattr__(self, name: str) -> Actor:
        try:
            return self.actors[name]
        except KeyError:
            raise AttributeError(name) from None

    def clinic_of(self, name: str) -> int:
        return self.clinic_a if name.endswith("_a") else self.clinic_b


def seed_world(store: Store) -> World:
    clinics, actors = {}, {}
    for suffix, clinic_name in (("a", "Alpha Spine Clinic"), ("b", "Beta Back Care")):
        clinic, _ = services.create_clinic(
            store,
            name=clinic_name,
            admin_username=f"admin-{suffix}",
            admin_password=PASSWORD,
        )
        clinics[suffix] = clinic.id
        admin = services.authenticate(store, f"admin-{suffix}", PASSWORD, Interface.CLI)
        assert admin is not None
        actors[f"admin_{suffix}"] = admin
        for role in (Role.PHYSICIAN, Role.THERAPIST):
            user = services.create_user(
                store,
                admin,
                username=f"{role.value}-{suffix}",
                password=PASSWORD,
                role=role,
                display_name=f"{role.value.title()} {suffix.upper()}",
                temporary=False,
            )
            actors[f"{role.value}_{suffix}"] = Actor(
                user.id, clinic.id, role, user.username, Interface.CLI
            )
    return World(clinics["a"], clinics["b"], actors)


class Templates:
    """Migrated, seeded template databases, made once per session and backend."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.world: World | None = None
        self._sqlite: Path | None = None
        self._postgres: dict[str, str] = {}
        """Template name per cluster: a module that imports ``pg_cluster`` itself
        gets a cluster of its own, so a template is made in each cluster used."""

    def _seed(self, url: str) -> None:
        store = open_store(url)
        try:
            upgrade(store)
            world = seed_world(store)
        finally:
            store.dispose()
        assert self.world in (None, world)
        self.world = world

    def sqlite(self) -> Path:
        if self._sqlite is None:
            path = self.folder / "template.sqlite3"
            self._seed(f"sqlite:///{path}")
            self._sqlite = path
        return self._sqlite

    def postgresql(self, cluster: Cluster) -> str:
        key = cluster.url_of("postgres")
        if key not in self._postgres:
            name = cluster.create_database()
            self._seed(cluster.url_of(name))
            self._postgres[key] = name
        return self._postgres[key]


def copy_sqlite(source: Path, target: Path) -> None:
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's PostgreSQL server (skipped with the reason, failed under CI)."""
    if OVERRIDE.startswith("postgres"):
        given = Cluster.from_url(OVERRIDE)
        yield given
        given.stop()  # drops the databases the run created
        return
    try:
        cluster = Cluster.start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    return Templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """``sqlite`` or ``postgresql``: every database test runs on both."""
    value: str = request.param
    return value


@pytest.fixture
def database_url(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    templates: Templates,
) -> Iterator[str]:
    """A fresh, migrated database holding the ``world`` (two clinics, six users)."""
    if backend == "sqlite":
        path = tmp_path / "spinewise.sqlite3"
        copy_sqlite(templates.sqlite(), path)
        yield f"sqlite:///{path}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database(template=templates.postgresql(cluster))
    yield cluster.url_of(name)
    cluster.drop_database(name)


@pytest.fixture
def empty_database_url(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[str]:
    """A fresh database with no tables at all."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database()
    yield cluster.url_of(name)
    cluster.drop_database(name)


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = open_store(database_url)
    yield opened
    opened.dispose()


@pytest.fixture
def world(database_url: str, templates: Templates) -> World:
    assert templates.world is not None
    return templates.world
