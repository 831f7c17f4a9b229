"""An audited read through the services (the command line's path) is durable: its
event survives ``kill -9`` of the process right after the read returned (in the
process's audit spool on a SQLite file, imported by the next process)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from sqlalchemy import make_url
from tests.pg import World
from tests.services.builders import assessed_patient

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import Action, AuditFilter
from spinewise.store import open_store
from spinewise.store.audit_spool import spool_directory
from spinewise.store.db import sqlite_path

READER = """
import sys, time
from spinewise import services
from spinewise.services import Actor, Interface, Role
from spinewise.store import open_store

store = open_store(sys.argv[1])
actor = Actor(int(sys.argv[2]), int(sys.argv[3]), Role.THERAPIST, "therapist-a",
              Interface.CLI)
services.get_assessment(store, actor, int(sys.argv[4]))
print("read", flush=True)
time.sleep(60)
"""


def test_the_read_event_survives_kill_9_after_the_service_returned(
    database_url: str, world: World, kb: KnowledgeBase
) -> None:
    store = open_store(database_url)
    actor = world.therapist_a
    stored = assessed_patient(store, actor, kb).assessment
    store.dispose()
    arguments = [database_url, actor.user_id, actor.clinic_id, stored.id]
    with subprocess.Popen(
        [sys.executable, "-c", READER, *map(str, arguments)],
        stdout=subprocess.PIPE,
        text=True,
    ) as reader:
        assert reader.stdout is not None
        assert reader.stdout.readline() == "read\n"
        os.kill(reader.pid, signal.SIGKILL)
    assert reader.returncode == -9
    url = make_url(database_url)
    path = sqlite_path(url) if url.get_backend_name() == "sqlite" else None
    spools = None if path is None else spool_directory(path)
    if spools is not None:  # on PostgreSQL the event was committed before the return
        assert len(list(spools.glob("*.spool"))) == 1  # left by the killed process
    after = open_store(database_url)
    reads = services.list_audit(
        after, world.admin_a, AuditFilter(action=Action.READ, entity="assessment")
    )
    assert [(e.username, e.entity_id) for e in reads] == [
        ("therapist-a", str(stored.id))
    ]  # exactly once, imported (if the flusher had not yet) by the next process
    if spools is not None:
        assert list(spools.iterdir()) == []
    after.dispose()
