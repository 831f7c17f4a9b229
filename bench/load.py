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

``--statements`` counts what PostgreSQL ran per request (bench/load_pg.py); the
cluster runs with durable commits (fsync and synchronous_commit on).

``--profile FILE`` runs one worker (the app as ``spinewise serve`` builds it, under
uvicorn with the same options) inside cProfile and writes its statistics to FILE when
the server stops: where a worker's time goes under this load.

Reported: requests, throughput, p50/p99 per kind, errors (any non-2xx or broken
connection), and lost writes: 201 answers counted here against the assessments
counted in the database afterwards; with several workers, each worker's share of the
server's CPU time and the load tool's connections each held halfway (how evenly
the connections were spread over them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from api import free_port  # bench/api.py  # noqa: E402
from cpu import Tree, connections_by_child, own_seconds, postmaster, shares  # noqa: E402
from load_client import Mix, run_load, wait_healthy  # noqa: E402
from load_data import count_assessments, seed  # noqa: E402
from load_pg import StatementCount, cluster_settings  # noqa: E402
from load_report import report  # noqa: E402
from report import emit  # noqa: E402


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
    parser.add_argument("--statements", action="store_true",
                        help="count PostgreSQL's statements per request")  # fmt: skip
    parser.add_argument("--serve-profiled", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_profiled:
        from load_profile import serve_profiled

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

    cluster = Cluster.start(cluster_settings(args.statements))
    try:
        url = cluster.url_of(cluster.create_database())
        assert cluster.folder is not None
        return measure(url, args, workers, postmaster(cluster.folder / "data"))
    finally:
        cluster.stop()


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
        counting = StatementCount(url) if args.statements else None
        if counting is not None:
            counting.start()
        cpu = {name: t.seconds() for name, t in trees.items() if t is not None}
        cpu["load tool"] = own_seconds()
        workers_before = Tree(server.pid).by_child()
        spread: list[int] = []
        halfway = threading.Timer(
            args.seconds / 2,
            lambda: spread.extend(connections_by_child(server.pid, port)),
        )
        halfway.start()
        results = asyncio.run(run_load(port, mix, args.connections, args.seconds))
        halfway.join()
        cpu = {name: spent(trees, name) - start for name, start in cpu.items()}
        worker_shares = shares(workers_before, Tree(server.pid).by_child())
        alive = server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
    stored = count_assessments(url) - before - warm_written
    served = report(args, workers, results, (stored, alive), cpu)
    if workers > 1:  # how evenly the workers shared the work (their CPU time)
        split = " / ".join(f"{share:.0%}" for share in worker_shares)
        print(f"  server CPU by worker: {split}; client connections by worker: "
              f"{' / '.join(map(str, spread))}")  # fmt: skip
    if counting is not None:
        counting.report(sum(len(v) for v in results["latency"].values()))
    return served


def spent(trees: dict[str, Tree | None], name: str) -> float:
    tree = trees.get(name)
    return own_seconds() if tree is None else tree.seconds()


if __name__ == "__main__":
    main()
