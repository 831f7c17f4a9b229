"""The API's routes driven straight through ASGI: CPU time per request, no server.

    python bench/api_asgi.py [--requests 2000] [--rounds 5] [--targets lean,screen,read]
                             [--profile FILE]

Steadier than ``bench/api.py`` on a loaded machine: no sockets, no HTTP parser, no
client in the same process; each target's app is called with a ready ASGI scope and
the process's CPU time (``time.process_time``) is read around a batch of requests.
The targets alternate in short rounds (lean, screen, read, lean, screen, read, ...),
so a swing of the machine's load hits them alike; the best and median round of each
are printed, and the ratios of the medians. Targets:

- ``lean``: bench/api.py's lean FastAPI + orjson endpoint (no token, no middleware);
- ``screen``: the app's ``POST /api/v1/screen`` with its token (SQLite);
- ``read``: the app's ``GET /api/v1/assessments/{id}`` (an audited read);
- ``latest``: ``GET /api/v1/patients/{id}/assessments?limit=5``.

``bench/api.py --targets lean,screen`` stays the goal's measure (issue 19); this
shows where the CPU of one request goes, and ``--profile`` writes a cProfile of the
``screen`` target alone.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api  # bench/api.py, beside this file

Request = tuple[str, str, bytes, bytes]  # method, path, query, body


async def call(app: Any, request: Request) -> int:
    """One request through the app's ASGI interface; the answer's status."""
    method, path, query, body = request
    headers = [
        (b"host", b"127.0.0.1"),
        (b"authorization", f"Bearer {api.TOKEN}".encode()),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def stored_ids(app: Any) -> tuple[int, int]:
    """Submit one assessment for a new patient; (patient id, assessment id)."""
    from spinewise import services
    from spinewise.models import Assessment

    store = app.state.store
    actor = services.verify_api_token(store, api.TOKEN)
    assert actor is not None
    patient = services.register_patient(
        store, actor, {"record_number": "B-1", "name": "Bench Patient"}
    )
    body = api.example_bodies()[0]
    result = services.submit_assessment(
        store, actor, patient.id, Assessment.model_validate_json(body), app.state.kb
    )
    return patient.id, result.assessment.id


def targets() -> dict[str, tuple[Any, list[Request]]]:
    bodies = api.example_bodies()
    screens = [("POST", "/api/v1/screen", b"", b) for b in bodies]
    lean = api.lean_app()
    app = api.screen_app()
    patient_id, assessment_id = stored_ids(app)
    read = [("GET", f"/api/v1/assessments/{assessment_id}", b"", b"")]
    latest = [("GET", f"/api/v1/patients/{patient_id}/assessments", b"limit=5", b"")]
    return {
        "lean": (lean, screens),
        "screen": (app, screens),
        "read": (app, read),
        "latest": (app, latest),
    }


async def lifespan_started(app: Any) -> None:
    """Run the app's startup (the rules are compiled there)."""
    router = getattr(app, "router", None)
    context = getattr(router, "lifespan_context", None)
    if context is not None:
        manager = context(app)
        await manager.__aenter__()


async def batch(app: Any, requests: list[Request], count: int) -> float:
    """CPU seconds per request over ``count`` requests, one after the other."""
    started = time.process_time()
    for i in range(count):
        status = await call(app, requests[i % len(requests)])
        if not 200 <= status < 300:
            raise SystemExit(f"status {status} for {requests[i % len(requests)][:2]}")
    return (time.process_time() - started) / count


async def run(args: argparse.Namespace) -> dict[str, list[float]]:
    chosen = {name: t for name, t in targets().items() if name in args.names}
    for app, _ in {id(a): (a, r) for a, r in chosen.values()}.values():
        await lifespan_started(app)
    for app, requests in chosen.values():
        await batch(app, requests, 200)  # warm up
    figures: dict[str, list[float]] = {name: [] for name in chosen}
    for _ in range(args.rounds):
        for name, (app, requests) in chosen.items():
            figures[name].append(await batch(app, requests, args.requests))
    if args.profile:
        app, requests = chosen["screen"]
        profiler = cProfile.Profile()
        profiler.enable()
        await batch(app, requests, args.requests)
        profiler.disable()
        profiler.dump_stats(args.profile)
    return figures


def report(figures: dict[str, list[float]], out: Callable[[str], None]) -> None:
    out(f"{'target':<8} {'best us':>8} {'median us':>10} {'worst us':>9}")
    medians = {}
    for name, values in figures.items():
        medians[name] = statistics.median(values)
        out(
            f"{name:<8} {min(values) * 1e6:>8.0f} {medians[name] * 1e6:>10.0f} "
            f"{max(values) * 1e6:>9.0f}"
        )
    if "lean" in medians and "screen" in medians:
        ratio = medians["lean"] / medians["screen"]
        out(f"lean CPU / screen CPU (medians): {ratio:.2f} (throughput ratio bound)")
    out(json.dumps({k: [round(v * 1e6, 1) for v in vs] for k, vs in figures.items()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--targets", default="lean,screen,read")
    parser.add_argument("--profile", help="write a cProfile of the screen target")
    args = parser.parse_args()
    args.names = [n for n in args.targets.split(",") if n]
    figures = asyncio.run(run(args))
    report(figures, print)
    load = __import__("os").getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
