"""A CDS Hooks call's own cost, in-process: the service called straight (no HTTP),
beside its baseline, the same cards built in-process (``cds_scenario.card_builder``).

    python bench/cds_inprocess.py [--calls 2000] [--profile 25]

Both run sequentially in this process on a fresh SQLite store (``cds_scenario``'s
clinic, EHR key and warm requests: the example questionnaires in turn, each call
with its own JWT). Printed per call: wall and CPU milliseconds, the load average.
``--profile N`` adds a cProfile of the calls (the N costliest by cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cds_scenario  # bench/cds_scenario.py, beside this file


def _timed(run: object, items: list[object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        run(item)  # type: ignore[operator]
    count = len(items)
    return ((time.perf_counter() - wall) * 1000 / count,
            (time.process_time() - cpu) * 1000 / count)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    ehr = cds_scenario.BenchEhr(args.calls + 50)
    pairs = ehr.warm_calls()
    hooks = cds_scenario.cds_app().state.cds
    service = cds_scenario.PATH.rsplit("/", 1)[1]

    def call(pair: object) -> None:
        token, body = pair  # type: ignore[misc]
        hooks.call(service, f"Bearer {token}", cds_scenario.PATH, body)

    build = cds_scenario.card_builder(hooks)
    bodies = [body for _, body in pairs]
    for pair in pairs[-50:]:  # warm: caches, prepared statements, the recorder
        call(pair)
        build(pair[1])
    pairs = pairs[: args.calls]
    load = os.getloadavg()
    profiler = cProfile.Profile() if args.profile else None
    if profiler is not None:
        profiler.enable()
    call_wall, call_cpu = _timed(call, list(pairs))
    if profiler is not None:
        profiler.disable()
    card_wall, card_cpu = _timed(build, list(bodies[: args.calls]))
    after = os.getloadavg()
    print(f"load average {load[0]:.2f} -> {after[0]:.2f}, {args.calls} calls each")
    print(f"hook call   {call_wall:7.2f} ms wall  {call_cpu:7.2f} ms CPU per call")
    print(f"cards only  {card_wall:7.2f} ms wall  {card_cpu:7.2f} ms CPU per call")
    print(f"call / cards CPU: {call_cpu / card_cpu:.2f}")
    if profiler is not None:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)


if __name__ == "__main__":
    main()
