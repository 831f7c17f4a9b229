"""``GET /api/v1/health``: is the service up, on which database, with which knowledge
base. A load balancer may ask any worker: 503 when this one cannot reach the database."""

from __future__ import annotations

from fastapi import APIRouter, Response

from spinewise import __version__
from spinewise.screening import ENGINE_VERSION
from spinewise.services import database_status
from spinewise.web.api.schemas import Health
from spinewise.web.deps import KbDep, StoreDep

router = APIRouter(tags=["service"])


@router.get("/health", summary="Health check (no token needed)")
def health(kb: KbDep, store: StoreDep, response: Response) -> Health:
    answer = Health(
        version=__version__,
        kb_version=kb.version,
        engine_version=ENGINE_VERSION,
        database=store.backend,
    )
    try:
        status = database_status(store)
    except Exception:  # any failure to reach the database: not ok
        response.status_code = 503
        return answer.model_copy(update={"ok": False})
    return answer.model_copy(
        update={"schema_revision": status.revision, "schema_current": status.up_to_date}
    )
