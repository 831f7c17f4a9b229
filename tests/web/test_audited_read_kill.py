"""An audited read is durable: its event survives ``kill -9`` of the server process
right after the response was sent (on a SQLite file it is in the server's audit
spool, which the next process to open the database imports)."""

from __future__ import annotations

from pathlib import Path

import httpx
from tests.pg import seed_world
from tests.services.builders import assessed_patient
from tests.web.servers import serving

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.services import Action, AuditFilter
from spinewise.store import open_store, upgrade
from spinewise.store.audit_spool import spool_directory


def test_the_read_event_survives_kill_9_after_the_response(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    store = open_store(url)
    upgrade(store)
    world = seed_world(store)
    stored = assessed_patient(store, world.therapist_a, kb).assessment
    token = services.issue_api_token(store, world.therapist_a).token
    store.dispose()
    with serving(url) as server:
        answer = httpx.get(
            f"{server.base}/api/v1/assessments/{stored.id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200
        server.kill()
    assert server.process.returncode == -9
    spools = spool_directory(tmp_path / "clinic.sqlite3")
    assert len(list(spools.glob("*.spool"))) == 1  # left by the killed process
    after = open_store(url)
    reads = services.list_audit(
        after, world.admin_a, AuditFilter(action=Action.READ, entity="assessment")
    )
    assert [(e.username, e.entity_id) for e in reads] == [
        ("therapist-a", str(stored.id))
    ]  # exactly once, imported (if the flusher had not yet) by the next process
    assert list(spools.iterdir()) == []
    after.dispose()
