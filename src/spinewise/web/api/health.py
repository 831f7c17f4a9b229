"""``GET /api/v1/health``: is the service up, and with which knowledge base."""

from __future__ import annotations

from fastapi import APIRouter

from spinewise import __version__
from spinewise.screening import ENGINE_VERSION
from spinewise.web.api.schemas import Health
from spinewise.web.deps import KbDep

router = APIRouter(tags=["service"])


@router.get("/health", summary="Health check (no token needed)")
def health(kb: KbDep) -> Health:
    return Health(
        version=__version__, kb_version=kb.version, engine_version=ENGINE_VERSION
    )
