"""A tiny EHR for the CDS Hooks tests: a FHIR endpoint and a JWK set over real HTTP.

``EhrServer`` listens on 127.0.0.1 (a free port) in a thread. It serves

* ``GET /fhir/Patient/{id}`` and ``GET /fhir/QuestionnaireResponse?subject=...`` (the
  searchset the Spinewise prefetch template asks for; in pages with ``next`` links
  when ``EhrData.page_size`` is set), built with
  ``spinewise.interop`` from factory assessments, with the references an EHR would use
  (``Patient/{id}``); every ``/fhir`` request must carry ``Authorization: Bearer
  <access token>`` or gets 401;
* ``GET /jwks.json`` (and any ``/keys/...``, a ``jku`` on the same host): the EHR's
  public keys (no token needed).

Every request is kept in ``requests`` (path, Authorization header) for assertions.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from spinewise.interop import (
    PatientInfo,
    patient_resource,
    questionnaire_response,
    to_json,
)
from spinewise.models import Assessment

ACCESS_TOKEN = "ehr-access-token-for-spinewise"
CODED_KINDS = ("Condition", "Observation", "MedicationStatement", "MedicationRequest")


def patient_json(patient_id: str, name: str = "Anna Test") -> dict[str, Any]:
    """A Patient as the EHR holds it (its own id)."""
    data = to_json(patient_resource(PatientInfo(key=patient_id, name=name)))
    data["id"] = patient_id
    return data


def response_json(
    patient_id: str, assessment: Assessment, key: str = "a-1"
) -> dict[str, Any]:
    """The assessment as the EHR's QuestionnaireResponse of ``Patient/{patient_id}``."""
    info = PatientInfo(key=patient_id)
    data = to_json(questionnaire_response(info, assessment, key))
    data["id"] = key
    data["subject"] = {"reference": f"Patient/{patient_id}"}
    return data


def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"resource": r, "search": {"mode": "match"}} for r in resources],
    }


@dataclass
class EhrData:
    patients: dict[str, dict[str, Any]] = field(default_factory=dict)
    responses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    jwks: dict[str, Any] = field(default_factory=lambda: {"keys": []})
    # coded resources (Condition, Observation, Medication*) by patient id
    coded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # paging like many EHRs: when set, searches ignore _sort/_count and answer this
    # many responses a page, in stored order, with a Bundle.link "next"
    page_size: int | None = None
    requests: list[tuple[str, str | None]] = field(default_factory=list)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _send(self, status: int, body: dict[str, Any]) -> None:
        raw = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/fhir+json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        data = self.server.data
        auth = self.headers.get("Authorization")
        data.requests.append((self.path, auth))
        url = urlsplit(self.path)
        if url.path == "/jwks.json" or url.path.startswith("/keys/"):
            return self._send(200, data.jwks)
        if not url.path.startswith("/fhir/"):
            return self._send(404, outcome("not-found", "no such path"))
        if auth != f"Bearer {ACCESS_TOKEN}":
            return self._send(401, outcome("security", "invalid access token"))
        return self._fhir(url.path.removeprefix("/fhir/"), parse_qs(url.query))

    def _fhir(self, path: str, query: dict[str, list[str]]) -> None:
        data = self.server.data
        kind, _, rid = path.partition("/")
        if kind == "Patient" and rid in data.patients:
            return self._send(200, data.patients[rid])
        if kind == "QuestionnaireResponse" and not rid:
            subject = query.get("subject", [""])[0].removeprefix("Patient/")
            if data.page_size is not None:
                return self._send(200, self._page(subject, query))
            found = sorted(
                data.responses.get(subject, []),
                key=lambda r: str(r.get("authored")),
                reverse=True,
            )
            count = int(query.get("_count", ["100"])[0])
            return self._send(200, searchset(*found[:count]))
        if kind in CODED_KINDS and not rid:
            patient = query.get("patient", [""])[0]
            of_kind = [
                r for r in data.coded.get(patient, []) if r["resourceType"] == kind
            ]
            return self._send(200, searchset(*of_kind))
        return self._send(404, outcome("not-found", f"{path} not found"))

    def _page(self, subject: str, query: dict[str, list[str]]) -> dict[str, Any]:
        data = self.server.data
        size = data.page_size or 1
        page = int(query.get("_page", ["1"])[0])
        found = data.responses.get(subject, [])
        result = searchset(*found[(page - 1) * size : page * size])
        result["total"] = len(found)
        if page * size < len(found):
            host, port = self.server.server_address[:2]
            nxt = f"http://{host!s}:{port}/fhir/QuestionnaireResponse"
            nxt += f"?subject=Patient/{subject}&_page={page + 1}"
            result["link"] = [{"relation": "next", "url": nxt}]
        return result


def outcome(code: str, text: str) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": text}],
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, data: EhrData) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.data = data


@dataclass
class EhrServer:
    """The running EHR: ``fhir_url``, ``jwks_url`` and its ``data`` to fill."""

    data: EhrData
    base: str

    @property
    def fhir_url(self) -> str:
        return f"{self.base}/fhir"

    @property
    def jwks_url(self) -> str:
        return f"{self.base}/jwks.json"

    def fhir_requests(self) -> list[tuple[str, str | None]]:
        return [r for r in self.data.requests if r[0].startswith("/fhir/")]


@contextmanager
def running_ehr(data: EhrData | None = None) -> Iterator[EhrServer]:
    """An EHR server on 127.0.0.1 for the duration of the block."""
    server = _Server(data or EhrData())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield EhrServer(server.data, f"http://{host!s}:{port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
