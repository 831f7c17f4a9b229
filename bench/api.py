"""POST /api/v1/screen: throughput and p50/p99 latency against a minimal FastAPI baseline.

    python bench/api.py [--seconds 5] [--connections 32] [--warmup 1]

Each target runs in its own uvicorn process (one worker, uvloop + httptools, no
access log) on 127.0.0.1; a raw asyncio HTTP/1.1 client in this process keeps
``--connections`` keep-alive connections busy for ``--seconds`` and records every
request's latency. The targets' servers run side by side and are driven in turn, in
``--rounds`` alternating slices of the seconds (default 5), so that a swing of the
machine's load does not fall on one target alone (``--rounds 1``: one after the
other, as before). Both targets get the same request bytes: the repository's example
assessments in turn (clean, red flags, acute, anticoagulants, ...) with a bearer
token. Two baselines: ``baseline``, a minimal FastAPI endpoint returning a fixed JSON
body, and ``lean``, FastAPI + orjson doing the same screening call without a token or
middleware.

Goal (issue 19): screen throughput >= 0.8 x lean, and screen p99 <= 1.5 x lean's p99,
measured in the same run. The CDS targets (``cds-warm``, ``cds-cold``) are measured
against ``cds-cards``, the goal's baseline "the same card built in-process": the warm
calls' cards built by ``--connections`` threads in a child process, no HTTP, JWT or
database (``cds_scenario.card_builder``); the goal is cds-warm p99 <= 50 ms.
``--src`` runs the server children on another tree's ``src`` (side by side with a
branch, same bench).
To add a target (e.g. the CDS Hooks patient-view service), add a ``Target`` to
``TARGETS``: an app factory, a path and the request bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from fastapi import Request  # the lean endpoint's annotation, resolved by FastAPI

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cds_scenario  # bench/cds_scenario.py, beside this file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TOKEN = "sw_bench-token-0123456789abcdef0123456789"
FIXED = {"ok": True, "verdict": "proceed", "kb_version": "bench"}


def screen_app() -> Any:
    """The real app on a throw-away SQLite database with one therapist and ``TOKEN``
    (checked against the database on every request, as in production)."""
    import datetime as dt
    import tempfile

    from spinewise import services
    from spinewise.config import Settings
    from spinewise.services.access.tokens import token_hash
    from spinewise.store import open_store, upgrade, utc_now
    from spinewise.web import create_app

    folder = Path(tempfile.mkdtemp(prefix="spinewise-bench-"))
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    store = open_store(url)
    upgrade(store)
    password = secrets.token_urlsafe(18)  # meets the password policy
    services.create_clinic(
        store, name="Bench", admin_username="bench-admin", admin_password=password
    )
    admin = services.authenticate(
        store, "bench-admin", password, services.Interface.CLI
    )
    assert admin is not None
    user = services.create_user(
        store,
        admin,
        username="bench",
        password=password,
        role=services.Role.THERAPIST,
        display_name="Bench",
        temporary=False,  # a temporary password would leave its tokens answering 401
    )
    with store.unit_of_work(write=True) as uow:
        uow.api_tokens.add(
            user_id=user.id,
            token_hash=token_hash(TOKEN),
            label="bench",
            expires_at=utc_now() + dt.timedelta(days=1),
        )
    return create_app(Settings(database_url=url), store=store)


def baseline_app() -> Any:
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/api/v1/screen")
    async def fixed() -> dict[str, Any]:
        return FIXED

    return app


def lean_app() -> Any:
    """The lean endpoint of issue 19: FastAPI + orjson doing the same screening call
    (strict JSON validation, ``screen``, the decision as JSON), with no token, no
    middleware, no language negotiation."""
    import orjson
    from fastapi import FastAPI
    from fastapi.responses import Response

    from spinewise.kb import load_kb
    from spinewise.models import Assessment
    from spinewise.screening import screen

    kb = load_kb()
    app = FastAPI()

    @app.post("/api/v1/screen")
    async def lean(request: Request) -> Response:
        assessment = Assessment.model_validate_json(await request.body(), strict=True)
        decision = screen(assessment, kb)
        body = orjson.dumps(decision.model_dump(mode="json", by_alias=True))
        return Response(body, media_type="application/json")

    return app


def example_bodies() -> list[bytes]:
    """The example assessments as JSON request bodies."""
    bodies = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        bodies.append(json.dumps(data, default=str).encode())
    return bodies


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    app: Callable[[], Any]
    bodies: Callable[[], list[bytes]]
    # whole requests with their own headers, enough for the given seconds of load
    requests: Callable[[float], list[bytes]] | None = None


def _cds_requests(kind: str) -> Callable[[float], list[bytes]]:
    def build(seconds: float) -> list[bytes]:
        ehr = cds_scenario.BenchEhr(cds_scenario.tokens_for(seconds))
        print(f"  {kind}: signing {ehr.tokens:,} single-use tokens", flush=True)
        return ehr.warm() if kind == "warm" else ehr.cold()

    return build


TARGETS = {
    "baseline": Target("baseline", "/api/v1/screen", baseline_app, example_bodies),
    "lean": Target("lean", "/api/v1/screen", lean_app, example_bodies),
    "screen": Target("screen", "/api/v1/screen", screen_app, example_bodies),
    # issue 7: the CDS Hooks patient-view hook with full prefetch (bench/cds_scenario)
    "cds-warm": Target(
        "cds-warm", cds_scenario.PATH, cds_scenario.cds_app, list, _cds_requests("warm")
    ),
    "cds-cold": Target(
        "cds-cold", cds_scenario.PATH, cds_scenario.cds_app, list, _cds_requests("cold")
    ),
    # issue 19's CDS baseline: the same cards built in-process (measure_in_process)
    "cds-cards": Target("cds-cards", "", cds_scenario.cds_app, list),
}


def serve(name: str, port: int) -> None:
    """Child process: run one target under uvicorn until terminated."""
    import uvicorn

    uvicorn.run(
        TARGETS[name].app(),
        host="127.0.0.1",
        port=port,
        workers=1,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request_bytes(path: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    # one search in C rather than a Python loop over the header lines: the load
    # tool shares the cores, and an answer with more headers (the app's security
    # headers) must not cost the measured target the tool's own CPU
    at = head.lower().find(b"\r\ncontent-length:")
    length = 0
    if at >= 0:
        start = at + len(b"\r\ncontent-length:")
        length = int(head[start : head.index(b"\r\n", start)])
    await reader.readexactly(length)
    return status


@dataclass
class Tally:
    latencies: list[float]
    statuses: Counter[int]


async def connection(
    port: int,
    feed: Iterator[bytes],
    until: float,
    tally: Tally,
    record: bool,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while (now := time.perf_counter()) < until:
        writer.write(next(feed))
        status = await read_response(reader)
        if record:
            tally.latencies.append(time.perf_counter() - now)
            tally.statuses[status] += 1
    writer.close()
    await writer.wait_closed()


async def load(port: int, feed: Iterator[bytes], connections: int, seconds: float,
               record: bool) -> tuple[Tally, float]:  # fmt: skip
    tally = Tally([], Counter())
    start = time.perf_counter()
    until = start + seconds
    await asyncio.gather(
        *(connection(port, feed, until, tally, record) for _ in range(connections))
    )
    return tally, time.perf_counter() - start


def wait_for(port: int, child: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 180  # a cold start on a loaded 2-core machine
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"the server exited with {child.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit("the server did not start")


def measure_in_process(args: argparse.Namespace) -> dict[str, float]:
    """``cds-cards``: the baseline in its own process (``cds_scenario.cards_at``)."""
    env = {**os.environ, "PYTHONPATH": args.src}
    command = [sys.executable, __file__, "--cards", "--connections",
               str(args.connections), "--seconds", str(args.seconds),
               "--warmup", str(args.warmup)]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, check=True)
    return dict(json.loads(done.stdout.decode().strip().splitlines()[-1]))


@dataclass
class Running:
    """A target's server child, its request feed and what was measured so far."""

    target: Target
    port: int
    child: subprocess.Popen[bytes]
    feed: Iterator[bytes]
    tally: Tally
    elapsed: float = 0.0


def start(target: Target, args: argparse.Namespace) -> Running:
    port = free_port()
    if target.requests is not None:  # before the child: it may set its environment
        requests = target.requests(args.warmup + args.seconds)
    else:
        requests = [request_bytes(target.path, b) for b in target.bodies()]
    env = {**os.environ, "PYTHONPATH": args.src}
    command = [sys.executable, __file__, "--serve", target.name, "--port", str(port)]
    child = subprocess.Popen(command, env=env)
    # one feed for all connections, warm-up then measurement: no request is sent
    # twice before the list wraps (the CDS targets' JWTs are single-use)
    return Running(target, port, child, itertools.cycle(requests), Tally([], Counter()))


def measure_all(targets: list[Target], args: argparse.Namespace) -> dict[str, Any]:
    """Every server target at once, each in its own process, driven in turn: the
    measured seconds are cut into ``--rounds`` slices that alternate between the
    targets (lean, screen, lean, screen, ...), so a swing of the machine's load
    falls on all of them alike instead of on whichever ran in that minute."""
    running = [start(t, args) for t in targets]
    try:
        for r in running:
            wait_for(r.port, r.child)
        for r in running:
            asyncio.run(load(r.port, r.feed, args.connections, args.warmup, False))
        for _ in range(args.rounds):
            for r in running:
                tally, elapsed = asyncio.run(
                    load(r.port, r.feed, args.connections,
                         args.seconds / args.rounds, True)
                )  # fmt: skip
                r.tally.latencies += tally.latencies
                r.tally.statuses.update(tally.statuses)
                r.elapsed += elapsed
    finally:
        for r in running:
            r.child.terminate()
            r.child.wait(timeout=10)
    return {r.target.name: summary(r.tally, r.elapsed) for r in running}


def summary(tally: Tally, elapsed: float) -> dict[str, float]:
    ordered = sorted(tally.latencies)
    count = len(ordered)
    return {
        "requests": count,
        "throughput": count / elapsed,
        "p50_ms": statistics.median(ordered) * 1000,
        "p99_ms": ordered[min(count - 1, int(count * 0.99))] * 1000,
        "non_2xx": sum(n for s, n in tally.statuses.items() if not 200 <= s < 300),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--rounds", type=int, default=5, help="alternating slices of --seconds"
    )
    parser.add_argument("--serve", choices=sorted(TARGETS), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cards", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--src", default=str(ROOT / "src"), help="the tree to serve")
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help="comma-separated subset to run"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    if args.cards:
        found = cds_scenario.cards_at(args.connections, args.seconds, args.warmup)
        print(json.dumps(found))
        return
    print(
        f"{args.connections} connections, {args.seconds:g} s each after "
        f"{args.warmup:g} s warm-up, in {args.rounds} alternating rounds, "
        f"one uvicorn worker, {os.cpu_count()} CPUs"
    )
    chosen = [t for t in args.targets.split(",") if t]
    served = [TARGETS[name] for name in chosen if name != "cds-cards"]
    results = measure_all(served, args)
    if "cds-cards" in chosen:
        results["cds-cards"] = measure_in_process(args)
    print(
        f"{'target':<10} {'requests':>9} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} non-2xx"
    )
    for name, r in results.items():
        print(
            f"{name:<10} {r['requests']:>9.0f} {r['throughput']:>9.0f} "
            f"{r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['non_2xx']:>7.0f}"
        )
    if {"screen", "baseline"} <= set(results):
        ratio = results["screen"]["throughput"] / results["baseline"]["throughput"]
        print(f"screen / fixed-JSON baseline throughput: {ratio:.2f}")
    if {"screen", "lean"} <= set(results):
        screen, lean = results["screen"], results["lean"]
        ratio = screen["throughput"] / lean["throughput"]
        p99 = screen["p99_ms"] / lean["p99_ms"]
        print(f"screen / lean throughput: {ratio:.2f} (goal >= 0.80)")
        print(f"screen p99 / lean p99: {p99:.2f} (goal <= 1.50)")
    for name in ("cds-warm", "cds-cold"):
        if name in results:
            r = results[name]
            line = f"{name} p99: {r['p99_ms']:.2f} ms (goal <= 50 ms)"
            if "cds-cards" in results:
                cards = results["cds-cards"]
                line += (
                    f"; / cards in-process: p99 {r['p99_ms'] / cards['p99_ms']:.2f}x, "
                    f"throughput {r['throughput'] / cards['throughput']:.2f}x"
                )
            print(line)
    if "cds-cards" in results:
        print(f"cds-cards CPU per card: {results['cds-cards']['cpu_ms']:.2f} ms")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
