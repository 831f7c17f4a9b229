"""Whole-cohort re-screening, measured side by side in one run.

On 1,000,000 generated assessments (bench/generate.py), every rule materialised:

* the columnar path, ``screen_cohort`` (generated polars expressions), with and
  without the ``missing`` lists;
* a hand-written polars query for the same rules and decision
  (bench/baseline_polars.py; it has no ``missing``, so the like-for-like ratio is
  against the path without it);
* a memory-bandwidth bound measured in the same run: the time to read every byte of
  the cohort's Arrow buffers once (a sum over them as 64-bit words, 1 and 2 threads,
  best of 8), in wall time and in CPU time; the full path is reported against both
  (wall against wall, and its CPU time of every thread against the bound's);
* memory: the peak RSS growth while screening, in a fresh process, against the
  cohort's columnar size (polars ``estimated_size``).

Goals: within 1.5x of the hand-written query (it writes the disc-herniation
profile's 64 rules of the KB's 79, so it does less than the generated path), within
6x of the bandwidth bound (every byte of the cohort's columns read once), memory
within 1.2x of the cohort's size. The end-to-end store re-screen (assessments read
from SQLite, against a bare SELECT) is bench/store_rescreen.py, which bench/run.py
runs when present.

    .venv/bin/python bench/cohort.py [ROWS]
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
from baseline_polars import screen_by_hand
from generate import ensure_cohort
from report import emit, machine, median

from spinewise.kb import KnowledgeBase, load_kb
from spinewise.screening import screen_cohort
from spinewise.screening.cohort import needed_columns

ROUNDS = 5


def buffers(frame: pl.DataFrame) -> list[pa.Buffer]:
    found = []
    for column in frame.to_arrow().columns:
        for chunk in column.chunks:
            found += [b for b in chunk.buffers() if b is not None and b.size >= 8]
    return found


def read_once(parts: list[pa.Buffer], threads: int) -> float:
    """Seconds to sum every buffer as 64-bit words (each byte read once)."""

    def total(buffer: pa.Buffer) -> int:
        words = pa.Array.from_buffers(pa.uint64(), buffer.size // 8, [None, buffer])
        return int(pc.sum(words).as_py() or 0)

    start = time.perf_counter()
    if threads == 1:
        for part in parts:
            total(part)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(total, parts))
    return time.perf_counter() - start


def bandwidth_bound(frame: pl.DataFrame) -> tuple[float, int]:
    parts = buffers(frame)
    size = sum(b.size for b in parts)
    best = min(read_once(parts, t) for t in (1, 2, 1, 2, 1, 2, 1, 2))
    return best, size


def bound_cpu(frame: pl.DataFrame) -> float:
    """The bound's CPU seconds (best of 4, one thread): on a loaded machine a long
    run is time-sliced with other work and a 40 ms one mostly is not, so the wall
    ratio overstates; CPU against CPU does not depend on the machine's load."""
    parts, found = buffers(frame), []
    for _ in range(4):
        cpu = cpu_seconds()
        read_once(parts, 1)
        found.append(cpu_seconds() - cpu)
    return min(found)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


def memory_probe(path: Path) -> None:
    """Run in a fresh process: peak RSS growth while screening the cohort."""
    kb = load_kb()
    frame = pl.read_parquet(path)
    gc.collect()
    time.sleep(0.3)
    base, peak, done = rss_bytes(), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_bytes())
            time.sleep(0.002)

    sampler = threading.Thread(target=sample)
    sampler.start()
    result = screen_cohort(frame, kb)
    done.set()
    sampler.join()
    print(
        json.dumps(
            {
                "input": frame.estimated_size(),
                "delta": max(peak[0], rss_bytes()) - base,
                "result": result.estimated_size(),
            }
        )
    )


def cpu_seconds() -> float:
    """CPU time of this process, every thread (user + system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_rounds(runs: dict[str, object]) -> dict[str, list[float]]:
    """Wall seconds per round of each run, and its CPU seconds under "cpu <name>"."""
    times: dict[str, list[float]] = {}
    for _ in range(ROUNDS):  # interleaved, so a busy moment hits every contender
        for name, run in runs.items():
            start, cpu = time.perf_counter(), cpu_seconds()
            run()  # type: ignore[operator]
            times.setdefault(name, []).append(time.perf_counter() - start)
            times.setdefault(f"cpu {name}", []).append(cpu_seconds() - cpu)
    return times


def check_by_hand(frame: pl.DataFrame, kb: KnowledgeBase) -> None:
    """The hand-written query writes the disc-herniation profile's rules only (64 of
    the KB's rules): it must equal ``screen_cohort`` on its own columns over the
    disc-herniation rows (the other rows are screened under another profile)."""
    by_hand = screen_by_hand(frame.lazy()).collect()
    ours = screen_cohort(frame, kb, with_missing=False)
    disc = ours["profile"] == "disc_herniation"
    if not by_hand.filter(disc).equals(ours.select(by_hand.columns).filter(disc)):
        sys.exit("the hand-written query disagrees with screen_cohort")
    print(
        f"  the hand-written query ({len(by_hand.columns)} columns) equals screen_cohort"
        f" ({len(ours.columns)} columns) on its columns over {int(disc.sum()):,}"
        " disc-herniation rows"
    )


def measure(rows: int, path: Path, kb: KnowledgeBase) -> dict[str, Any]:
    started = time.perf_counter()
    frame = pl.read_parquet(path)
    figures: dict[str, Any] = {"read": time.perf_counter() - started, "rows": rows}
    figures["size"] = frame.estimated_size()
    figures["bound"], figures["arrow_bytes"] = bandwidth_bound(frame)
    figures["bound_cpu"] = bound_cpu(frame)
    needed = frame.select(needed_columns(kb))
    figures["bound_needed"], figures["needed_bytes"] = bandwidth_bound(needed)
    check_by_hand(frame, kb)
    figures["times"] = timed_rounds(
        {
            "hand": lambda: screen_by_hand(frame.lazy()).collect(),
            "columnar": lambda: screen_cohort(frame, kb, with_missing=False),
            "full": lambda: screen_cohort(frame, kb),
            "full one chunk": lambda: screen_cohort(frame, kb, chunk_rows=rows),
        }
    )
    probe = subprocess.run(
        [sys.executable, __file__, "--memory", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures["memory"] = json.loads(probe.stdout.strip().splitlines()[-1])
    return figures


Row = tuple[str, float, str, dict[str, Any]]


def _size_rows(figures: dict[str, Any], path: Path) -> list[Row]:
    bound, arrow = figures["bound"], figures["arrow_bytes"]
    return [
        ("cohort columnar size (estimated_size)", figures["size"] / 1e6, "MB",
         {"arrow_MB": round(arrow / 1e6, 1), "parquet_MB": round(path.stat().st_size / 1e6, 1)}),
        ("read the Parquet file", figures["read"], "s", {}),
        ("bandwidth bound: read every cohort byte once", bound, "s",
         {"GB_per_s": round(arrow / bound / 1e9, 1)}),
        ("bandwidth bound, only the columns screening reads", figures["bound_needed"],
         "s", {"MB": round(figures["needed_bytes"] / 1e6, 1)}),
    ]  # fmt: skip


def _speed_rows(figures: dict[str, Any]) -> list[Row]:
    times, bound = figures["times"], figures["bound"]
    hand, columnar, full = (median(times[k]) for k in ("hand", "columnar", "full"))
    fastest = {k: {"min": round(min(v), 3)} for k, v in times.items()}
    return [
        ("hand-written polars query (rules + decision)", hand, "s", fastest["hand"]),
        ("screen_cohort without missing", columnar, "s",
         {**fastest["columnar"], "baseline": "hand-written polars",
          "ratio": round(columnar / hand, 2), "goal": "<= 1.5", "met": columnar / hand <= 1.5}),
        ("screen_cohort, full (with missing lists)", full, "s",
         {**fastest["full"], "baseline": "bandwidth bound", "ratio": round(full / bound, 1),
          "goal": "<= 6", "met": full / bound <= 6}),
        ("screen_cohort, full, CPU time (every thread)", median(times["cpu full"]), "s",
         {"baseline": "bandwidth bound's CPU time", "bound_cpu_s": round(figures["bound_cpu"], 3),
          "ratio": round(median(times["cpu full"]) / figures["bound_cpu"], 1), "goal": "<= 6",
          "met": median(times["cpu full"]) / figures["bound_cpu"] <= 6}),
        ("screen_cohort, full, vs hand-written polars", full / hand, "x", {}),
        ("screen_cohort, full, one chunk", median(times["full one chunk"]), "s", {}),
        ("screening throughput (full)", figures["rows"] / full / 1e6, "M/s", {}),
    ]  # fmt: skip


def _memory_rows(memory: dict[str, int]) -> list[Row]:
    rss, result = memory["delta"] / memory["input"], memory["result"] / memory["input"]
    against = {"baseline": "cohort columnar size"}
    return [
        ("peak RSS growth while screening (full)", memory["delta"] / 1e6, "MB",
         {**against, "ratio": round(rss, 2), "goal": "<= 1.2", "met": rss <= 1.2}),
        ("result frame size (full, estimated_size)", memory["result"] / 1e6, "MB",
         {**against, "ratio": round(result, 2)}),
    ]  # fmt: skip


def report(figures: dict[str, Any], path: Path) -> None:
    rows = (
        _size_rows(figures, path)
        + _speed_rows(figures)
        + _memory_rows(figures["memory"])
    )
    for name, value, unit, extra in rows:
        emit("cohort", name, value, unit, **extra)
    print(
        "  store end to end (1,000,000 stored assessments vs a bare SELECT): bench/store_rescreen.py"
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    kb = load_kb()
    path = ensure_cohort(rows)
    print(f"bench/cohort.py: {rows:,} assessments, {len(kb.rules)} rules; {machine()}")
    report(measure(rows, path, kb), path)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--memory":
        memory_probe(Path(sys.argv[2]))
    else:
        main()
