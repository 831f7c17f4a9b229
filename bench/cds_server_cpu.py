"""The CDS warm call under ``bench/api.py``'s load, with the server's CPU per request.

    python bench/cds_server_cpu.py [--src OTHER/src] [--connections 8] [--seconds 5]

On a loaded 2-core machine the p99 of a few thousand calls is set by the scheduler;
the server process's own CPU time per request (user + system, from /proc, read after
the warm-up and after the measured load) says what a change saved whatever the load.
Same server, requests and client as ``python bench/api.py --targets cds-warm``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api  # bench/api.py, beside this file


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (Linux /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--src", default=str(api.ROOT / "src"), help="the tree to serve"
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    build = api.TARGETS["cds-warm"].requests
    assert build is not None  # the CDS targets sign their own requests
    requests = build(args.seconds + 1)
    port = api.free_port()
    command = [sys.executable, api.__file__, "--serve", "cds-warm", "--port", str(port)]
    child = subprocess.Popen(command, env={**os.environ, "PYTHONPATH": args.src})
    try:
        api.wait_for(port, child)
        feed = itertools.cycle(requests)
        asyncio.run(api.load(port, feed, args.connections, 1.0, record=False))
        before, load = cpu_seconds(child.pid), os.getloadavg()[0]
        tally, elapsed = asyncio.run(
            api.load(port, feed, args.connections, args.seconds, record=True)
        )
        used = cpu_seconds(child.pid) - before
    finally:
        child.terminate()
        child.wait(timeout=10)
    ordered = sorted(tally.latencies)
    count = len(ordered)
    failed = sum(n for status, n in tally.statuses.items() if status != 200)
    print(
        f"{args.src}: {count / elapsed:.0f} req/s, p50 "
        f"{statistics.median(ordered) * 1000:.2f} ms, p99 "
        f"{ordered[min(count - 1, int(count * 0.99))] * 1000:.2f} ms, server CPU "
        f"{used * 1000 / count:.2f} ms per request, non-200 {failed}, load "
        f"{load:.1f} -> {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
