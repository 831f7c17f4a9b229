"""A PostgreSQL connection the server dropped is replaced without a failed request
(the pool checks sockets instead of pinging; reading units retry once)."""

from __future__ import annotations

import os
import resource
import socket
import time
from types import SimpleNamespace

import psycopg
import pytest
from sqlalchemy.exc import DisconnectionError
from tests.pg import ON_POSTGRESQL_ONLY, World

from spinewise import services
from spinewise.store import Store
from spinewise.store.db import open_store
from spinewise.store.pg_pool import drop_if_closed

_OTHERS = (
    "FROM pg_stat_activity WHERE datname = current_database() "
    "AND pid <> pg_backend_pid()"
)


def _terminate_every_other_backend(database_url: str) -> int:
    """``pg_terminate_backend`` for every connection to the database but this one;
    returns once they are gone (the function only signals them)."""
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as admin:
        row = admin.execute(f"SELECT count(pg_terminate_backend(pid)) {_OTHERS}")
        terminated = int(row.fetchone()[0])  # type: ignore[index]
        deadline = time.monotonic() + 10
        while admin.execute(f"SELECT count(*) {_OTHERS}").fetchone() != (0,):
            assert time.monotonic() < deadline, "the backends did not end"
            time.sleep(0.02)
    return terminated


def _warm(store: Store, world: World) -> int:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": "D-1", "name": "Dropped"}
    )
    services.get_patient(store, world.therapist_a, patient.id)
    return patient.id


@ON_POSTGRESQL_ONLY
def test_a_reading_unit_after_the_server_dropped_its_connections_succeeds(
    store: Store, world: World, database_url: str
) -> None:
    patient_id = _warm(store, world)
    assert _terminate_every_other_backend(database_url) >= 1
    found = services.get_patient(store, world.therapist_a, patient_id)
    assert found.id == patient_id


@ON_POSTGRESQL_ONLY
def test_a_writing_unit_after_the_server_dropped_its_connections_succeeds(
    store: Store, world: World, database_url: str
) -> None:
    _warm(store, world)
    assert _terminate_every_other_backend(database_url) >= 1
    added = services.register_patient(
        store, world.therapist_a, {"record_number": "D-2", "name": "After"}
    )
    assert services.get_patient(store, world.therapist_a, added.id).name == "After"


@ON_POSTGRESQL_ONLY
def test_a_reading_statement_whose_connection_broke_after_checkout_runs_again(
    store: Store, world: World, database_url: str
) -> None:
    with store.reading() as unit:
        assert unit.users.standing(world.therapist_a.user_id) is not None
        _terminate_every_other_backend(database_url)
        standing = unit.users.standing(world.therapist_a.user_id)
    assert standing is not None and standing.active


@ON_POSTGRESQL_ONLY
def test_connections_go_back_to_the_pool_in_transaction_mode(store: Store) -> None:
    with store.reading() as unit:
        unit.users.standing(1)
    with store.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None and not driver.autocommit


@ON_POSTGRESQL_ONLY
def test_a_store_keeps_the_pool_size_it_is_given(database_url: str) -> None:
    store = open_store(database_url, pool_size=3)
    try:
        assert store.engine.pool.size() == 3  # type: ignore[attr-defined]
    finally:
        store.dispose()


def test_a_connection_past_selects_descriptor_limit_is_checked_without_error() -> None:
    """A worker serving a thousand clients holds descriptors past 1024, where
    ``select`` fails; the check at checkout must not discard every connection."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2100:
        pytest.skip("the hard descriptor limit is below 2100")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2100), hard))
    ours, theirs = socket.socketpair()
    high = os.dup2(ours.fileno(), 2048)
    try:
        quiet = SimpleNamespace(
            closed=False, broken=False, autocommit=False, fileno=lambda: high
        )
        drop_if_closed(quiet)  # nothing to read: kept
        theirs.close()  # the other end gone: readable (EOF), so discarded
        with pytest.raises(DisconnectionError):
            drop_if_closed(quiet)
    finally:
        os.close(high)
        ours.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
