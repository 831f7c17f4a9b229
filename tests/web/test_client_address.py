"""The web tier names the client of every audit event, limits anonymous pages per
address and closes its database connections when it stops."""

from __future__ import annotations

import warnings
from pathlib import Path

from tests.pg import Templates, copy_sqlite
from tests.web.clinic import Clinic

from spinewise.config import Settings
from spinewise.kb import KnowledgeBase
from spinewise.services import list_audit
from spinewise.store import AuditQuery, open_store
from spinewise.web import create_app

with warnings.catch_warnings():
    from starlette.exceptions import StarletteDeprecationWarning

    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def test_page_reads_are_audited_with_the_client_address(clinic: Clinic) -> None:
    patient_id = clinic.patient()
    page = clinic.as_page("therapist_a")
    assert page.get(f"/patients/{patient_id}").status_code == 200
    entries = list_audit(clinic.store, clinic.actor("admin_a"))
    read = next(e for e in entries if e.action == "read" and e.entity == "patient")
    with clinic.store.unit_of_work() as uow:
        (row,) = [
            r
            for r in uow.audit.query(AuditQuery(clinic_id=clinic.world.clinic_a))
            if r.id == read.id
        ]
    assert (row.interface, row.client_address) == ("web", "testclient")


def test_bad_links_are_404_and_anonymous_pages_are_rate_limited(
    tmp_path: Path, templates: Templates, kb: KnowledgeBase
) -> None:
    path = tmp_path / "limited.sqlite3"
    copy_sqlite(templates.sqlite(), path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    settings = Settings(database_url=url, anonymous_requests_per_minute=3)
    app = create_app(
        settings,
        kb=kb,
        store=store,
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [client.get(f"/q/made-up-{n}") for n in range(4)]
        assert [a.status_code for a in answers] == [404, 404, 404, 429]
        assert "not valid" in answers[0].text
        assert int(answers[3].headers["retry-after"]) >= 1
        assert client.get("/api/v1/health").status_code == 200
    with store.unit_of_work() as uow:
        rows = uow.audit.query(AuditQuery(clinic_id=None))
    denied = [r for r in rows if r.action == "denied"]
    assert [(r.client_address, r.interface) for r in denied] == [("testclient", "web")]
    store.dispose()


def test_the_app_leaves_no_write_ahead_log_when_it_stops(
    tmp_path: Path, templates: Templates, kb: KnowledgeBase
) -> None:
    path = tmp_path / "served.sqlite3"
    copy_sqlite(templates.sqlite(), path)
    url = f"sqlite:///{path}"
    store = open_store(url)
    app = create_app(
        Settings(database_url=url),
        kb=kb,
        store=store,
    )
    wal = path.with_name(path.name + "-wal")
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/q/made-up").status_code == 404
        assert wal.exists() and wal.stat().st_size > 0
    assert not wal.exists() or wal.stat().st_size == 0
