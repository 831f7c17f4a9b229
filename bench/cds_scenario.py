"""The CDS Hooks ``patient-view`` scenario of ``bench/api.py``: app and requests.

The parent process makes an EHR signing key, signs one fresh JWT per request (the
service refuses a replayed ``jti``, so tokens cannot be cycled) and builds the request
bytes: the spec-shaped patient-view call with full prefetch (the Patient and a
searchset with the patient's Spinewise QuestionnaireResponse, built from the example
assessments). The server child gets the public JWK set through the environment and
runs the real app: SQLite store (a temporary file), JWT check, prefetch reading,
screening, cards, cards-shown rows and the audit event per call.

Two request sets: ``warm`` cycles the example questionnaires (the service's screening
cache answers repeats, as when an EHR re-opens charts) and ``cold`` gives every request
its own questionnaire (a distinct ``id``), so each is parsed as FHIR and screened.

Building the requests is kept cheap, as it once made the bench look hung (30,000
prefetch bundles converted to FHIR one by one took ~20 minutes on a busy 2-core
machine before the load even began): each example's prefetch is converted once and
the cold set only changes the questionnaire's ``id`` in the JSON text; the number
of signed tokens follows the run's length (``tokens_for``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import jwt
import yaml
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ROOT = Path(__file__).resolve().parents[1]
PATH = "/cds-services/spinewise-patient-view"
PUBLIC = "http://127.0.0.1:8000"
ISSUER = "https://ehr.bench.example"
CLINIC = "Bench Clinic"
JWKS_ENV = "SPINEWISE_BENCH_JWKS"
TOKENS = 30_000
RATE_CEILING = 1_500  # requests/s no CDS target reaches here: tokens to sign per second


def tokens_for(seconds: float) -> int:
    """Enough single-use tokens for ``seconds`` of load at up to ``RATE_CEILING``."""
    return min(TOKENS, max(500, int(seconds * RATE_CEILING)))


def _examples() -> list[Any]:
    sys.path.insert(0, str(ROOT))
    from spinewise.models import Assessment

    return [
        Assessment.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted((ROOT / "examples").glob("*.yaml"))
    ]


def cds_app() -> Any:
    """Child process: the web app with a fresh SQLite store and the bench EHR trusted."""
    from spinewise.config import Settings
    from spinewise.kb import load_kb
    from spinewise.services import (
        CdsConfig,
        CdsHooks,
        TrustedIssuers,
        create_clinic,
        open_store,
        upgrade_database,
    )
    from spinewise.web import create_app

    folder = Path(tempfile.mkdtemp(prefix="spinewise-bench-cds-"))
    url = f"sqlite:///{folder / 'cds.sqlite3'}"
    store = open_store(url)
    upgrade_database(store)
    create_clinic(store, name=CLINIC, admin_username="bench-admin",
                  admin_password="bench-password-123")  # fmt: skip
    jwks = json.loads(os.environ[JWKS_ENV])
    settings = Settings(database_url=url, public_url=PUBLIC, cds_clinic=CLINIC)
    kb = load_kb()
    app = create_app(settings, kb=kb, store=store)
    config = CdsConfig(PUBLIC, {ISSUER: "bench:jwks"}, CLINIC)
    issuers = TrustedIssuers(config.trusted_issuers, lambda url: jwks)
    app.state.cds = CdsHooks(store, kb, config, issuers=issuers)
    return app


def _prefetch(assessment: Any, response_id: str) -> dict[str, Any]:
    from spinewise.interop import (
        PatientInfo,
        patient_resource,
        questionnaire_response,
        to_json,
    )

    patient = to_json(patient_resource(PatientInfo(key="bench-patient")))
    patient["id"] = "1288992"
    response = to_json(
        questionnaire_response(PatientInfo(key="1288992"), assessment, "a")
    )
    response["id"] = response_id
    response["subject"] = {"reference": "Patient/1288992"}
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": [
        {"resource": response}]}  # fmt: skip
    empty = {"resourceType": "Bundle", "type": "searchset", "entry": []}
    coded = ("conditions", "observations", "medicationStatements", "medicationRequests")
    return {"patient": patient, "assessment": bundle, **dict.fromkeys(coded, empty)}


def _body(prefetch: dict[str, Any], instance: str = "") -> bytes:
    call = {
        "hookInstance": instance or str(uuid.uuid4()),
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": "1288992"},
        "prefetch": prefetch,
    }
    return json.dumps(call).encode()


def _request(body: bytes, token: str) -> bytes:
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


class BenchEhr:
    """The signing side: a key, its JWK set (for the child) and the requests."""

    def __init__(self, tokens: int = TOKENS) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**public, "kid": "bench", "alg": "RS384"}]}
        os.environ[JWKS_ENV] = json.dumps(self.jwks)
        self.tokens = tokens

    def _token(self) -> str:
        now = dt.datetime.now(dt.UTC)
        claims = {"iss": ISSUER, "aud": PUBLIC + PATH, "iat": now,
                  "exp": now + dt.timedelta(minutes=5), "jti": str(uuid.uuid4())}  # fmt: skip
        return jwt.encode(claims, self.key, algorithm="RS384", headers={"kid": "bench"})

    def warm_calls(self) -> list[tuple[str, bytes]]:
        """(JWT, body) pairs cycling the example questionnaires."""
        bodies = [_body(_prefetch(a, "a")) for a in _examples()]
        return [(self._token(), bodies[i % len(bodies)]) for i in range(self.tokens)]

    def warm(self) -> list[bytes]:
        """Requests cycling the example questionnaires, each with its own JWT."""
        return [_request(body, token) for token, body in self.warm_calls()]

    def cold(self) -> list[bytes]:
        """Requests each with a questionnaire of its own (no screening-cache hits):
        each example converted once, its questionnaire ``id`` made unique in the text."""
        marker = "bench-response-id-" + uuid.uuid4().hex
        templates = [_body(_prefetch(a, marker), marker) for a in _examples()]
        quoted = f'"{marker}"'.encode()
        return [
            _request(
                templates[i % len(templates)].replace(quoted, f'"a-{i}"'.encode()),
                self._token(),
            )
            for i in range(self.tokens)
        ]


def card_builder(hooks: Any) -> Any:
    """Issue 19's baseline for the CDS goal, "the same card built in-process": a
    function from a call's body to the answer's JSON bytes doing what a hook call
    does for its cards (the request parsed, the prefetch read, the questionnaire
    screened through the service's own screening cache, cards and safety notes, the
    answer as JSON) with no HTTP, no JWT, no database: the patient's clearance on
    record is read once, before, and nothing is recorded."""
    import orjson

    from spinewise.interop import HookRequest, response_body
    from spinewise.services.cds.clearance import clearance_on_record
    from spinewise.services.cds.current import CallContext
    from spinewise.services.cds.ehr_data import coded_data
    from spinewise.services.cds.fetch import hook_data
    from spinewise.services.cds.skips import noting_skips, with_skips

    config = hooks.config
    records: dict[str, Any] = {}

    def build(body: bytes) -> bytes:
        request = HookRequest.model_validate(orjson.loads(body))
        patient_id = request.context["patientId"]
        data = hook_data(request, patient_id, hooks.http, False, config.fetch_limits)
        coded = coded_data(request, hooks.http)
        if patient_id not in records:  # the patient context, read once
            records[patient_id] = clearance_on_record(
                hooks.store, hooks.clinic_id(), data.patient
            )
        context = CallContext(
            today=dt.date.today(),
            patient_id=patient_id,
            record=records[patient_id],
            coded=coded,
            max_age_days=config.max_assessment_age_days,
            base_url=config.base_url,
        )
        cards, _ = hooks._cards(request.hookInstance, data, None, context)
        cards = noting_skips(cards, data.skipped)
        return orjson.dumps(with_skips(response_body(cards), data.skipped))

    return build


def cards_at(connections: int, seconds: float, warmup: float) -> dict[str, float]:
    """Child process: ``connections`` threads building the warm calls' cards
    in-process (``card_builder``) for ``seconds`` after ``warmup``; each build's
    latency, as the HTTP clients record each call's."""
    import statistics
    import threading
    import time

    hooks = cds_app().state.cds
    build = card_builder(hooks)
    bodies = [body for _, body in BenchEhr(len(_examples())).warm_calls()]
    latencies: list[float] = []

    def run(until: float, record: bool, offset: int) -> None:
        mine, i = [], offset
        while (now := time.perf_counter()) < until:
            build(bodies[i % len(bodies)])
            mine.append(time.perf_counter() - now)
            i += 1
        if record:
            latencies.extend(mine)  # list.extend is atomic under the GIL

    for record, span in ((False, warmup), (True, seconds)):
        start = time.perf_counter()
        cpu = time.process_time()
        threads = [threading.Thread(target=run, args=(start + span, record, n))
                   for n in range(connections)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu
    ordered = sorted(latencies)
    count = len(ordered)
    return {
        "requests": count,
        "throughput": count / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(count - 1, int(count * 0.99))] * 1000,
        "non_2xx": 0,
        "cpu_ms": cpu * 1000 / count,
    }
