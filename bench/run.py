"""Run every benchmark present and write a dated markdown record.

    .venv/bin/python bench/run.py [--only rules cohort ...]   (make bench)

Runs bench/rules.py, bench/cohort.py, bench/store.py, bench/store_rescreen.py and
bench/api.py (those that exist), one after the other in fresh processes, shows their
output, and writes ``bench/results/YYYY-MM-DD.md``: the machine, then one table row
per ``BENCH`` line the scripts printed (see bench/report.py for the format). A script
that prints no ``BENCH`` lines gets its output quoted instead, so a new benchmark shows
up in the record before it adopts the format. The record is committed as the day's
figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl
from report import machine

BENCH = Path(__file__).resolve().parent
SCRIPTS = ("rules", "cohort", "store", "store_rescreen", "api", "load", "startup")
_COLUMNS = ("measure", "value", "unit", "against", "ratio", "goal", "met")


def run_script(name: str) -> tuple[int, list[dict[str, Any]], list[str], float]:
    """Run bench/<name>.py; its BENCH records, other output lines, seconds taken."""
    print(f"\n=== bench/{name}.py", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(BENCH / f"{name}.py")],
        cwd=BENCH.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    records, lines = [], []
    for line in process.stdout:
        if line.startswith("BENCH "):
            records.append(json.loads(line[len("BENCH ") :]))
        else:
            print(line, end="", flush=True)
            lines.append(line.rstrip("\n"))
    return process.wait(), records, lines, time.perf_counter() - started


def _cell(record: dict[str, Any], key: str) -> str:
    value = record.get("baseline" if key == "against" else key)
    if value is None:
        return ""
    if key == "met":
        return "yes" if value else "**no**"
    if key == "value" and isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.1f}"
    return str(value).replace("|", "\\|")


def markdown(
    results: dict[str, tuple[int, list[dict[str, Any]], list[str], float]],
) -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=BENCH,
    ).stdout.strip()
    lines = [
        f"# Benchmarks {dt.date.today().isoformat()}",
        "",
        f"Commit {commit or '?'} (plus the working tree); Python {platform.python_version()}, "
        f"polars {pl.__version__}; {machine()} at the end of the run. Each figure was "
        "measured side by side with its baseline in the same run.",
    ]
    for name, (status, records, output, seconds) in results.items():
        lines += [
            "",
            f"## bench/{name}.py ({seconds:.0f} s{'' if status == 0 else f', exit {status}'})",
            "",
        ]
        if records:
            lines.append("| " + " | ".join(_COLUMNS) + " |")
            lines.append("|" + "---|" * len(_COLUMNS))
            lines += [
                "| " + " | ".join(_cell(r, k) for k in _COLUMNS) + " |" for r in records
            ]
        else:
            lines += ["```", *output[-40:], "```"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=SCRIPTS, help="run only these")
    args = parser.parse_args()
    chosen = [s for s in (args.only or SCRIPTS) if (BENCH / f"{s}.py").exists()]
    results = {name: run_script(name) for name in chosen}
    path = BENCH / "results" / f"{dt.date.today().isoformat()}.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(markdown(results), encoding="utf-8")
    print(f"\nwrote {path.relative_to(BENCH.parent)}")
    if any(status != 0 for status, *_ in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
