"""Shared by the bench scripts: timing helpers and the line format bench/run.py reads.

A script prints human-readable figures and, for each figure, one machine line::

    BENCH {"bench": "rules", "measure": "...", "value": 1.2, "unit": "µs", ...}

with optional ``baseline`` (what the ratio is against), ``ratio``, ``goal`` and
``met``. bench/run.py collects these lines into the dated markdown table. A new
script (bench/store.py, bench/api.py) only has to print such lines.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any


def emit(bench: str, measure: str, value: float, unit: str, **extra: Any) -> None:
    """Print one figure for people and one ``BENCH`` line for bench/run.py."""
    shown = f"{value:,.3f}" if value < 100 else f"{value:,.1f}"
    notes = ", ".join(f"{k} {v}" for k, v in extra.items() if v is not None)
    print(f"  {measure}: {shown} {unit}" + (f"  ({notes})" if notes else ""))
    record = {"bench": bench, "measure": measure, "value": value, "unit": unit}
    record |= {k: v for k, v in extra.items() if v is not None}
    print("BENCH " + json.dumps(record, ensure_ascii=False), flush=True)


def repeat_times(
    run: Callable[[], object], *, repeats: int = 7, min_seconds: float = 0.0
) -> list[float]:
    """Wall times of ``repeats`` runs (more while under ``min_seconds`` in total)."""
    times: list[float] = []
    while len(times) < repeats or sum(times) < min_seconds:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
        if len(times) >= 50:
            break
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load}"
