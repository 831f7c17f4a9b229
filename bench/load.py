"""Load test: mixed reads and writes against ``spinewise serve --workers N`` on PostgreSQL.

    .venv/bin/python bench/load.py [--seconds 60] [--connections 32] [--workers 2]
                                   [--writes 0.25] [--database-url postgresql://...]
                                   [--profile FILE]

A throw-away PostgreSQL cluster is started (tests/pg.py; or ``--database-url`` of an
empty database), migrated and seeded with one clinic, a therapist with an API token
and ``--patients`` patients with one assessment each. The real server runs in its own
processes (``spinewise serve --workers N``); this process is the load tool: an
asyncio HTTP/1.1 client keeping ``--connections`` keep-alive connections busy, each
request chosen at random: a write (``--writes`` of them: POST a new assessment, which
is screened and stored with its decision) or a read (GET one stored assessment, or a
patient's latest five). A locust-style equivalent without locust's own CPU cost,
which matters when the load tool shares the 2 cores with the server.

``--profile FILE`` runs one worker (the app as ``spinewise serve`` builds it, under
uvicorn with the same options) inside cProfile and writes its statistics to FILE when
the server stops: where a worker's time goes under this load.

Reported: requests, throughput, p50/p99 per kind, errors (any non-2xx or broken
connection), and lost writes: 201 answers counted here against the assessments
counted in the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import free_port, read_response  # bench/api.py  # noqa: E402
from cpu import Tree, own_seconds, postmaster  # noqa: E402
from report import emit, machine  # noqa: E402


def seed(url: str, patients: int) -> tuple[str, list[int], list[int], bytes]:
    """Clinic, therapist, token, patients with one assessment each."""
    from tests.factories import assessment_data

    from spinewise import services
    from spinewise.kb import load_kb
    from spinewise.store import open_store, upgrade

    store = open_store(url)
    upgrade(store)
    password = secrets.token_urlsafe(18)
    services.create_clinic(
        store, name="Load", admin_username="load-admin", admin_password=password
    )
    admin = services.authenticate(store, "load-admin", password, services.Interface.CLI)
    assert admin is not None
    user = services.create_user(
        store, admin, username="load", password=password,
        role=services.Role.THERAPIST, display_name="Load", temporary=False,
    )  # fmt: skip
    actor = services.authenticate(store, "load", password, services.Interface.API)
    assert actor is not None and user is not None
    token = services.issue_api_token(store, actor).token
    kb = load_kb()
    data = assessment_data()
    patient_ids, assessment_ids = [], []
    for n in range(patients):
        patient = services.register_patient(
            store, actor, {"record_number": f"L-{n}", "name": f"Load {n}"}
        )
        result = services.submit_assessment(store, actor, patient.id, data, kb)
        patient_ids.append(patient.id)
        assessment_ids.append(result.assessment.id)
    store.dispose()
    return token, patient_ids, assessment_ids, json.dumps(data, default=str).encode()


def wait_healthy(port: int, server: subprocess.Popen[bytes], workers: int) -> None:
    """Until ``workers`` answers of /health came (a cold start here can take 60 s)."""
    import httpx

    deadline, healthy = time.monotonic() + 180, 0
    while healthy < workers * 3:
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                healthy += 1
        except httpx.TransportError:
            time.sleep(0.2)


def count_assessments(url: str) -> int:
    from sqlalchemy import text

    from spinewise.store import open_store

    store = open_store(url)
    with store.engine.connect() as connection:
        count = int(
            connection.execute(text("SELECT count(*) FROM assessments")).scalar_one()
        )
    store.dispose()
    return count


class Mix:
    """The requests: chosen at random, in ready-made bytes."""

    def __init__(self, token: str, patients: list[int], assessments: list[int],
                 body: bytes, writes: float) -> None:  # fmt: skip
        self.head = f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        self.patients, self.assessments = patients, assessments
        self.body, self.writes = body, writes
        self.random = random.Random(1)

    def next(self) -> tuple[str, bytes]:
        r = self.random.random()
        if r < self.writes:
            patient = self.random.choice(self.patients)
            return "write", (
                f"POST /api/v1/patients/{patient}/assessments HTTP/1.1\r\n{self.head}"
                f"Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\n\r\n"
            ).encode() + self.body
        if r < self.writes + (1 - self.writes) / 2:
            path = f"/api/v1/assessments/{self.random.choice(self.assessments)}"
            kind = "read one"
        else:
            path = f"/api/v1/patients/{self.random.choice(self.patients)}/assessments?limit=5"
            kind = "read latest 5"
        return kind, f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode()


async def client(port: int, mix: Mix, until: float, results: dict[str, Any]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < until:
        kind, request = mix.next()
        start = time.perf_counter()
        try:
            writer.write(request)
            status = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError) as error:
            results["errors"][f"{kind}: {type(error).__name__}"] += 1
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        results["latency"][kind].append(time.perf_counter() - start)
        if not 200 <= status < 300:
            results["errors"][f"{kind}: {status}"] += 1
        elif kind == "write":
            results["written"] += 1
    writer.close()


async def run_load(
    port: int, mix: Mix, connections: int, seconds: float
) -> dict[str, Any]:
    results: dict[str, Any] = {
        "latency": defaultdict(list),
        "errors": Counter(),
        "written": 0,
    }
    until = time.perf_counter() + seconds
    await asyncio.gather(
        *(client(port, mix, until, results) for _ in range(connections))
    )
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", default="2", help="worker counts, e.g. 1,2")
    parser.add_argument("--writes", type=float, default=0.25)
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the tree to serve")
    parser.add_argument("--server-cpus", default="", help="taskset list, e.g. 0,1")
    parser.add_argument("--profile", default="", help="cProfile one worker into FILE")
    parser.add_argument("--serve-profiled", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_profiled:
        serve_profiled(args.serve_profiled, args.port)
        return
    counts = [1] if args.profile else [int(n) for n in args.workers.split(",")]
    served = {}
    for workers in counts:
        served[workers] = on_fresh_database(args, workers)
    if 1 in served and len(served) > 1:
        for workers, throughput in served.items():
            if workers != 1:
                emit("load", f"{workers} workers / 1 worker throughput",
                     throughput / served[1], "x", goal=">= 1.5",
                     met=throughput / served[1] >= 1.5)  # fmt: skip


def on_fresh_database(args: argparse.Namespace, workers: int) -> float:
    """One measurement on a new database (a new cluster unless given a URL)."""
    if args.database_url:
        return measure(args.database_url, args, workers, None)
    from tests.pg import Cluster

    cluster = Cluster.start()
    try:
        url = cluster.url_of(cluster.create_database())
        assert cluster.folder is not None
        return measure(url, args, workers, postmaster(cluster.folder / "data"))
    finally:
        cluster.stop()


def serve_profiled(path: str, port: int) -> None:
    """Child process: one worker as ``spinewise serve`` runs it, every thread of it
    inside cProfile, timed by the thread's CPU clock (waiting costs nothing)."""
    import cProfile
    import pstats
    import threading

    import uvicorn

    from spinewise.web import app_from_environment

    profiles: list[cProfile.Profile] = []

    def profiled() -> cProfile.Profile:
        profile = cProfile.Profile(time.thread_time)
        profiles.append(profile)
        profile.enable()
        return profile

    def in_thread(*_: object) -> None:  # the first event of every new thread
        profiled()  # replaces this hook in that thread

    def stop(*_: object) -> None:  # uvicorn raises the signal again once it stopped
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    app = app_from_environment()  # start-up is not what is measured
    threading.setprofile(in_thread)
    main_thread = profiled()
    try:
        uvicorn.run(app, host="127.0.0.1", port=port,
                    log_level="info", server_header=False)  # fmt: skip
    finally:
        main_thread.disable()
        stats = pstats.Stats(profiles[0])
        for other in profiles[1:]:
            other.create_stats()
            stats.add(other)
        stats.dump_stats(path)


def server_command(args: argparse.Namespace, port: int, workers: int) -> list[str]:
    pin = ["taskset", "-c", args.server_cpus] if args.server_cpus else []
    if args.profile:
        return [*pin, sys.executable, __file__, "--serve-profiled", args.profile,
                "--port", str(port)]  # fmt: skip
    return [*pin, sys.executable, "-m", "spinewise", "serve", "--port", str(port),
            "--workers", str(workers)]  # fmt: skip


def measure(
    url: str, args: argparse.Namespace, workers: int, database: Tree | None
) -> float:
    """Serve with ``workers`` processes, load it, report; the throughput."""
    token, patients, assessments, body = seed(url, args.patients)
    before = count_assessments(url)
    port = free_port()
    env = {**os.environ, "SPINEWISE_DATABASE_URL": url, "PYTHONPATH": args.src}
    server = subprocess.Popen(
        server_command(args, port, workers), env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    trees = {"server": Tree(server.pid), "PostgreSQL": database}
    try:
        wait_healthy(port, server, workers)
        mix = Mix(token, patients, assessments, body, args.writes)
        asyncio.run(run_load(port, mix, args.connections, 2))  # warm-up
        warm_written = count_assessments(url) - before
        cpu = {name: t.seconds() for name, t in trees.items() if t is not None}
        cpu["load tool"] = own_seconds()
        results = asyncio.run(run_load(port, mix, args.connections, args.seconds))
        cpu = {name: spent(trees, name) - start for name, start in cpu.items()}
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = count_assessments(url) - before - warm_written
    return report(args, workers, results, (stored, alive), cpu)


def spent(trees: dict[str, Tree | None], name: str) -> float:
    tree = trees.get(name)
    return own_seconds() if tree is None else tree.seconds()


def report(
    args: argparse.Namespace,
    workers: int,
    results: dict[str, Any],
    outcome: tuple[int, bool],
    cpu: dict[str, float],
) -> float:
    stored, alive = outcome
    total = sum(len(v) for v in results["latency"].values())
    errors = sum(results["errors"].values())
    pinned = f"server on CPUs {args.server_cpus}" if args.server_cpus else "no pinning"
    print(f"c{args.connections}, {args.seconds:g} s, {workers} workers on PostgreSQL, "
          f"{args.writes:.0%} writes; {machine()}; load tool in this process; "
          f"{pinned}; serving {args.src}")  # fmt: skip
    emit("load", "requests per second (all kinds)", total / args.seconds, "req/s")
    for kind, values in sorted(results["latency"].items()):
        emit("load", f"{kind}: p50", statistics.median(values) * 1000, "ms")
        emit("load", f"{kind}: p99", percentile(values, 0.99), "ms")
        emit("load", f"{kind}: requests", float(len(values)), "")
    for name, seconds in cpu.items():
        emit("load", f"CPU per request: {name}", seconds * 1000 / max(total, 1), "ms")
    emit("load", "errors (non-2xx or broken connections)", float(errors), "",
         goal="0", met=errors == 0)  # fmt: skip
    lost = results["written"] - stored
    emit("load", "writes answered 201", float(results["written"]), "")
    emit("load", "lost writes (201 answered, not in the database)", float(lost), "",
         goal="0", met=lost == 0)  # fmt: skip
    emit("load", "server alive at the end", float(alive), "", goal="1", met=alive)
    for what, n in results["errors"].most_common(5):
        print(f"  error {what}: {n}")
    return total / args.seconds


if __name__ == "__main__":
    main()
