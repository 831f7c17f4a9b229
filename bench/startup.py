"""Start-up of the command line: ``spinewise --help``, ``--version`` and ``db status``.

    .venv/bin/python bench/startup.py [--runs 7] [--against MAIN_SRC]

Each command runs as a fresh ``python -m spinewise`` process on a tree's ``src``
(this one; with ``--against``, another tree's too, e.g. main's from ``git archive``),
beside two baselines in the same run: ``python -c pass`` and ``python -c "import
sqlite3"``. ``db status`` reads a migrated SQLite file made once before timing (and,
as ``db status (ru)``, answers in Russian). Every case runs twice over:

* ``bytecode``: as installed (``make venv`` compiles it; a tree run for the first time
  writes its own on a warm-up run, not timed);
* ``no bytecode``: ``PYTHONDONTWRITEBYTECODE=1`` with an empty ``PYTHONPYCACHEPREFIX``,
  so that no ``.pyc`` is found anywhere (the standard library's included) and every
  imported module is compiled at each start: the worst case of an install without
  compiled bytecode (issue 19).

Runs are interleaved, case after case, so that the machine's load hits all alike.
Wall time from the parent's clock, CPU (user + system) from the child's rusage;
medians and minima per case. Goal (issue 19): ``--help`` and ``db status`` <= 0.5 s
wall. Not a test: timings are never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from report import emit, machine

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 0.5
COMMANDS: dict[str, tuple[list[str], dict[str, str]]] = {
    "--help": (["--help"], {}),
    "--version": (["--version"], {}),
    "db status": (["db", "status"], {}),
    "db status (ru)": (["db", "status"], {"SPINEWISE_LANG": "ru"}),
}
BASELINES = {"python -c pass": "pass", "python -c 'import sqlite3'": "import sqlite3"}


@dataclass(frozen=True)
class Case:
    name: str
    tree: str  # "" for a baseline
    bytecode: bool
    argv: list[str]
    env: dict[str, str]


@dataclass
class Timings:
    wall: list[float]
    cpu: list[float]


def run_once(case: Case) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``case``; a failing run stops the bench."""
    started = time.perf_counter()
    child = subprocess.Popen(
        case.argv,
        env=case.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tempfile.gettempdir(),
    )
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{case.name} ({case.tree}) failed: {errors.decode()}")
    return wall, usage.ru_utime + usage.ru_stime


def environment(
    src: str, bytecode: bool, database: str, no_cache: str
) -> dict[str, str]:
    """The child's environment: only what it needs, the tree first on the path."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "SPINEWISE_DATABASE_URL": database,
    }
    if src:
        env["PYTHONPATH"] = src
    if not bytecode:
        env |= {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": no_cache}
    return env


def cases(
    trees: dict[str, str],
    databases: dict[str, str],
    no_cache: str,
    missing: set[tuple[str, str]],
) -> list[Case]:
    found = []
    for bytecode in (True, False):
        for name, code in BASELINES.items():
            env = environment("", bytecode, "", no_cache)
            argv = [sys.executable, "-c", code]
            found.append(Case(name, "", bytecode, argv, env))
        for tree, src in trees.items():
            for name, (args, extra) in COMMANDS.items():
                if (tree, name) in missing:
                    continue
                env = environment(src, bytecode, databases[tree], no_cache) | extra
                argv = [sys.executable, "-m", "spinewise", *args]
                found.append(Case(name, tree, bytecode, argv, env))
    return found


def prepare(
    trees: dict[str, str], folder: Path
) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """A SQLite file per tree, migrated by that tree (an older tree does not know a
    newer tree's revisions), and the (tree, command) pairs a tree lacks; each command
    run once first with bytecode written (warm-up, not timed)."""
    databases = {}
    missing = set()
    for number, (tree, src) in enumerate(trees.items()):
        database = f"sqlite:///{folder / f'startup-{number}.sqlite3'}"
        databases[tree] = database
        env = environment(src, True, database, "")
        upgrade = [sys.executable, "-m", "spinewise", "db", "upgrade"]
        subprocess.run(upgrade, env=env, check=True, capture_output=True)
        for name, (args, extra) in COMMANDS.items():
            argv = [sys.executable, "-m", "spinewise", *args]
            done = subprocess.run(argv, env=env | extra, capture_output=True)
            if done.returncode != 0:
                print(f"{name}: not in the {tree} tree")
                missing.add((tree, name))
    return databases, missing


def show(case: Case, timings: Timings, baseline: float) -> None:
    wall, cpu = statistics.median(timings.wall), statistics.median(timings.cpu)
    mode = "bytecode" if case.bytecode else "no bytecode"
    label = f"{case.name} [{case.tree or 'baseline'}, {mode}]"
    print(
        f"{label:<48} wall {wall:6.3f} s (min {min(timings.wall):6.3f})"
        f"   CPU {cpu:6.3f} s (min {min(timings.cpu):6.3f})"
    )
    if case.tree and case.bytecode:
        goal = case.name != "--version"
        emit(
            "startup",
            f"{label}: median wall",
            wall,
            "s",
            baseline="python -c 'import sqlite3'",
            ratio=round(wall / baseline, 2),
            goal=f"<= {GOAL_SECONDS} s" if goal else None,
            met=(wall <= GOAL_SECONDS) if goal else None,
        )
        emit("startup", f"{label}: median CPU", cpu, "s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs of each case")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the tree measured")
    parser.add_argument("--against", help="another tree's src, measured beside it")
    args = parser.parse_args()
    trees = {"this": args.src} | ({"against": args.against} if args.against else {})
    print(f"{machine()}; {args.runs} runs of each case, interleaved")
    with tempfile.TemporaryDirectory() as scratch:
        no_cache = str(Path(scratch) / "no-pycache")
        databases, missing = prepare(trees, Path(scratch))
        all_cases = cases(trees, databases, no_cache, missing)
        timings = [Timings([], []) for _ in all_cases]
        for _ in range(args.runs):
            for case, timing in zip(all_cases, timings, strict=True):
                wall, cpu = run_once(case)
                timing.wall.append(wall)
                timing.cpu.append(cpu)
    for bytecode in (True, False):
        baseline = next(
            statistics.median(t.wall)
            for c, t in zip(all_cases, timings, strict=True)
            if c.bytecode == bytecode and c.name == "python -c 'import sqlite3'"
        )
        for case, timing in zip(all_cases, timings, strict=True):
            if case.bytecode == bytecode:
                show(case, timing, baseline)
    print(f"done; {machine()}")


if __name__ == "__main__":
    main()
