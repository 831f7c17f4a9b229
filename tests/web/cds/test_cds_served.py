"""The CDS service served by uvicorn on 127.0.0.1, called over real HTTP: the EHR's
JWT accepted, then refused in each bad way; the fallback fetch from the EHR's FHIR
server (itself real HTTP)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from tests.interop.cds_keys import new_key
from tests.interop.fhir_server import EhrServer
from tests.web.cds.support import (
    ORDER_SELECT,
    PATIENT_VIEW,
    aud,
    card_of,
    expired,
    patient_view,
    signed,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(cds_app: FastAPI) -> Iterator[str]:
    """The app under uvicorn in a thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(cds_app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 90  # a cold start on a loaded 2-core CI box
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_over_http_a_good_jwt_is_answered_and_each_bad_one_refused(
    served: str, ehr: EhrServer
) -> None:
    url = f"{served}/cds-services/{PATIENT_VIEW}"
    body = patient_view(ehr=ehr)  # no prefetch: fetched from the EHR's FHIR server
    with httpx.Client(timeout=10) as client:
        good = signed(jti="served-once")
        answer = client.post(url, json=body, headers=good)
        assert answer.status_code == 200, answer.text
        assert card_of(answer.json(), "PC-RAD-01")["indicator"] == "warning"
        bad = {
            "wrong key": signed(key=new_key()),
            "expired": signed(**expired()),
            "wrong audience": signed(audience=aud(ORDER_SELECT)),
            "replayed jti": good,
        }
        for why, headers in bad.items():
            refused = client.post(url, json=body, headers=headers)
            assert refused.status_code == 401, why
            assert refused.json()["resourceType"] == "OperationOutcome", why
    fetched = {path.split("?")[0] for path, _ in ehr.fhir_requests()}
    assert "/fhir/QuestionnaireResponse" in fetched
