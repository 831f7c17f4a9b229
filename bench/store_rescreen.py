"""End to end from the store: re-screen every stored assessment of a SQLite clinic.

On 1,000,000 patients' current assessments (bench/store_cohort_db.py builds the
database once in the temporary folder and reuses it), measured side by side in one
run, alternating so that drift on a shared machine hits both:

* the bare SELECT: the cheapest SELECT of the stored values the re-screen needs, which
  is the read path's own query (``spinewise.store.cohort_query``: for each patient's
  current assessment version, its newest decision's ids, cohort record and lists,
  revision 0011r) run through the raw sqlite3 driver, every row fetched and dropped;
* the re-screen: ``services.read_cohort`` (role check, read snapshot, lines parsed
  into the cohort layout by polars, one audit event) with ``screen_cohort`` (with the
  missing lists) run on each chunk on the parsing thread while SQLite produces the
  next: what ``spinewise cohort screen --from-store`` does;
* the former path, read everything, then screen it: the same work without overlap.

Goal: the re-screen within 1.2x of the bare SELECT. For context, measured once each
on the same rows: a SELECT of the stored answers text (the packed JSON the record
duplicates), the former read path's SELECT (one json_extract of every scalar and the
lists, sent as a CSV-like line) and, with ``--per-field``, the obvious SELECT of one
json_extract per field (minutes at 1M). CPU time (getrusage, every thread) is given
beside the wall time. The re-screen's verdicts are checked against screening the
generated cohort directly.

    .venv/bin/python bench/store_rescreen.py [--rows N] [--rounds R] [--per-field]
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
from generate import ASSESSED_ON, SEED
from report import emit, machine, median
from store_cohort_db import CLINIC, USER, ensure_database

from spinewise.kb import KnowledgeBase, load_kb
from spinewise.screening import (
    cohort_schema,
    cohort_screener,
    generate_cohort,
    screen_cohort,
)
from spinewise.services import Actor, CohortUse, Interface, Role, read_cohort
from spinewise.store import cohort_query, open_store
from spinewise.store.cohort_arrow import arrow_batches
from spinewise.store.cohort_record import FIELDS, LISTS
from spinewise.store.packing import answer_index

BENCH = "store_rescreen"
FETCH_ROWS = 50_000
_CURRENT = "FROM assessments AS a"


def fetch_all(path: Path, query: str) -> int:
    """Run ``query`` (parameter ``clinic``) with sqlite3 and fetch every row."""
    connection = sqlite3.connect(path)
    try:
        cursor = connection.execute(query, {"clinic": CLINIC})
        count = 0
        while rows := cursor.fetchmany(FETCH_ROWS):
            count += len(rows)
        return count
    finally:
        connection.close()


def _path(path: str) -> str:
    return "'$" + "".join(f"[{i}]" for i in answer_index(path)) + "'"


def _former_line() -> str:
    """The former read path's line: every scalar in one json_extract, lists quoted."""
    scalars = ", ".join(_path(p) for p in ("", *(f.path for f in FIELDS)))
    quoted = (
        f"""'"' || replace(coalesce(json_extract(d.answers, {_path(p)}), 'null'), """
        """'"', '""') || '"'"""
        for p in LISTS
    )
    parts = [
        "a.patient_id",
        "a.id",
        "d.id",
        f"rtrim(ltrim(json_extract(d.answers, {scalars}), '['), ']')",
        *quoted,
    ]
    return " || ',' || ".join(parts)


def fetch_arrow(path: Path, query: str) -> int:
    """The same SELECT through ADBC's SQLite driver: Arrow batches, no row objects."""
    batches = arrow_batches(path, query.replace(":clinic", "?"), CLINIC, FETCH_ROWS)
    return sum(batch.num_rows for batch in batches)


def context_queries() -> dict[str, str]:
    """The same rows, selected as the stored answers text, as the former read path's
    line and as a column per field."""
    rows = cohort_query("sqlite")
    tail = rows[rows.index(_CURRENT) :]
    per_field = ", ".join(
        f"json_extract(d.answers, {_path(p)})" for p in cohort_schema()
    )
    return {
        "SELECT of the stored answers text (same rows)": (
            f"SELECT a.patient_id, a.id, d.id, d.answers {tail}"
        ),
        "the former read path's SELECT (json_extract into a line)": (
            f"SELECT {_former_line()} {tail}"
        ),
        "SELECT one column per field (a json_extract each)": (
            f"SELECT a.patient_id, {per_field} {tail}"
        ),
    }


CPU: list[tuple[str, float]] = []
"""CPU seconds (every thread of the process) of each timed run, labelled."""


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def seconds_of(run: Callable[[], object], label: str = "") -> float:
    started, cpu = time.perf_counter(), _cpu()
    run()
    if label:
        CPU.append((label, _cpu() - cpu))
    return time.perf_counter() - started


class Rescreen:
    """``cohort screen --from-store``'s work: read the clinic, screen every row.

    ``pipelined``: each chunk screened on the parsing thread as it is read
    (``read_cohort(each_chunk=...)``, what the command does); otherwise read the whole
    cohort, then screen it (the former path, kept as a contender).
    """

    def __init__(self, path: Path, kb: KnowledgeBase, *, pipelined: bool) -> None:
        self.store = open_store(f"sqlite:///{path}")
        self.actor = Actor(USER, CLINIC, Role.PHYSICIAN, "bench", Interface.CLI)
        self.kb = kb
        self.pipelined = pipelined
        self.result = pl.DataFrame()
        self.reads: list[float] = []
        self.screen = cohort_screener(kb)

    def __call__(self) -> None:
        started = time.perf_counter()
        if self.pipelined:
            self.result = read_cohort(
                self.store, self.actor, use=CohortUse.SCREEN, each_chunk=self.screen
            )
            self.reads.append(time.perf_counter() - started)
            return
        frame = read_cohort(self.store, self.actor, use=CohortUse.SCREEN)
        self.reads.append(time.perf_counter() - started)
        self.result = screen_cohort(frame, self.kb)


def measure(path: Path, rows: int, rounds: int, per_field: bool) -> None:
    kb = load_kb()
    pipelined = Rescreen(path, kb, pipelined=True)
    sequential = Rescreen(path, kb, pipelined=False)
    query = cohort_query("sqlite")
    context = context_queries()
    raw, former, by_field = context  # labels
    count = fetch_all(path, context[raw])  # untimed: warms the page cache
    if count != rows:
        raise SystemExit(f"{count:,} current assessments stored, {rows:,} expected")
    figures = {raw: seconds_of(lambda: fetch_all(path, context[raw]))}
    figures[former] = seconds_of(lambda: fetch_all(path, context[former]))
    arrow = "the bare SELECT fetched as Arrow batches (ADBC, what the read uses)"
    figures[arrow] = seconds_of(lambda: fetch_arrow(path, query), "bare SELECT, ADBC")
    selects, totals, befores = [], [], []
    for round_ in range(rounds):
        selects.append(seconds_of(lambda: fetch_all(path, query), "bare SELECT"))
        totals.append(seconds_of(pipelined, "re-screen"))
        befores.append(seconds_of(sequential, "read, then screen"))
        print(
            f"  round {round_ + 1}: SELECT {selects[-1]:.2f} s, re-screen "
            f"{totals[-1]:.2f} s (ratio {totals[-1] / selects[-1]:.3f}); read, then "
            f"screen {befores[-1]:.2f} s (read {sequential.reads[-1]:.2f} s, "
            f"ratio {befores[-1] / selects[-1]:.3f}); load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    if per_field:
        figures[by_field] = seconds_of(lambda: fetch_all(path, context[by_field]))
    for rescreen in (pipelined, sequential):
        rescreen.store.dispose()
    check([pipelined.result, sequential.result], rows, kb)
    report(rows, path, selects, totals, sequential.reads, figures)
    emit(
        BENCH,
        "read, then screen (the former path: read_cohort, then screen_cohort)",
        median(befores),
        "s",
        baseline="bare SELECT",
        ratio=round(median(befores) / median(selects), 3),
    )


def check(results: list[pl.DataFrame], rows: int, kb: KnowledgeBase) -> None:
    """Each re-screen agrees with screening the generated cohort directly."""
    direct = screen_cohort(
        generate_cohort(rows, assessed_on=ASSESSED_ON, seed=SEED), kb
    ).drop("patient_id")
    for result in results:
        same = result.height == rows and result.drop("patient_id").equals(direct)
        print(f"  re-screen equals screening the generated cohort directly: {same}")
        if not same:
            raise SystemExit("the store re-screen disagrees with the direct screen")


def report(
    rows: int,
    path: Path,
    selects: list[float],
    totals: list[float],
    reads: list[float],
    context: dict[str, float],
) -> None:
    select, total = median(selects), median(totals)
    ratio = round(total / select, 3)
    size = sum(p.stat().st_size for p in path.parent.glob(f"{path.name}*")) / 1e9
    emit(BENCH, "rows re-screened (current assessments)", float(rows), "rows")
    emit(BENCH, "database size (SQLite file)", size, "GB")
    emit(BENCH, "bare SELECT (the read path's query, fetched fully)", select, "s")
    emit(
        BENCH,
        "re-screen from the store (read_cohort, each chunk screened as read)",
        total,
        "s",
        baseline="bare SELECT",
        ratio=ratio,
        goal="<= 1.2",
        met=ratio <= 1.2,
    )
    emit(
        BENCH,
        "read_cohort alone, in the read-then-screen contender",
        median(reads),
        "s",
    )
    emit(BENCH, "re-screen throughput", rows / total / 1e3, "k rows/s")
    per_round = [t / s for t, s in zip(totals, selects, strict=True)]
    emit(BENCH, "re-screen / bare SELECT, best round", min(per_round), "x")
    emit(BENCH, "re-screen / bare SELECT, worst round", max(per_round), "x")
    report_context(total, context)


def report_context(total: float, context: dict[str, float]) -> None:
    """The other SELECTs of the same rows, and the machine's load meanwhile."""
    for label, seconds in context.items():
        emit(BENCH, label, seconds, "s")
        emit(
            BENCH,
            "re-screen against it",
            total / seconds,
            "x",
            baseline=label.split(" (")[0],
        )
    load = os.getloadavg()[0]
    emit(BENCH, "load average, last minute (2 cores: 2 = both busy)", load, "")
    labels = dict.fromkeys(label for label, _ in CPU)
    cpu = {label: median([s for k, s in CPU if k == label]) for label in labels}
    for label, seconds in cpu.items():
        emit(BENCH, f"CPU time, {label} (median, every thread)", seconds, "s")
    if cpu.get("bare SELECT"):
        ratio = cpu["re-screen"] / cpu["bare SELECT"]
        emit(BENCH, "re-screen / bare SELECT in CPU time", ratio, "x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="patients")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument(
        "--per-field",
        action="store_true",
        help="also time a SELECT of one json_extract per field (minutes at 1M)",
    )
    args = parser.parse_args()
    path = ensure_database(args.rows)
    print(f"bench/store_rescreen.py: {args.rows:,} patients in {path}; {machine()}")
    measure(path, args.rows, args.rounds, args.per_field)
    print(f"  {machine()} at the end")


if __name__ == "__main__":
    main()
