"""bench/load.py's report: throughput, latency per kind, CPU per request of each
process tree, errors and lost writes."""

from __future__ import annotations

import argparse
import statistics
from typing import Any

from load_client import percentile
from report import emit, machine


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
