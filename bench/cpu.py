"""CPU time of process trees, read from /proc (Linux): where a load test's cores went.

``Tree(pid).seconds()`` is the user + system CPU time of ``pid`` and of every live
descendant, plus what its reaped children used (``cutime``/``cstime``), so a worker
that exits meanwhile is still counted. Take it before and after a measurement window
and divide the difference by the requests served: CPU milliseconds per request for
the server's workers, the PostgreSQL cluster and the load tool, side by side.
"""

from __future__ import annotations

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may hold spaces: split after its closing parenthesis
    return text[text.rindex(")") + 2 :].split()


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            found.setdefault(int(fields[1]), []).append(int(entry.name))
    return found


class Tree:
    """A process and its descendants."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def pids(self) -> list[int]:
        children, seen, todo = _children(), [], [self.pid]
        while todo:
            pid = todo.pop()
            seen.append(pid)
            todo += children.get(pid, [])
        return seen

    def seconds(self) -> float:
        ticks = 0
        for pid in self.pids():
            fields = _stat(pid)
            if fields is not None:  # utime stime cutime cstime: fields 14-17
                ticks += sum(int(v) for v in fields[11:15])
        return ticks / TICKS

    def by_child(self) -> dict[int, float]:
        """CPU seconds of each direct child and its descendants (a server's workers)."""
        return {pid: Tree(pid).seconds() for pid in _children().get(self.pid, [])}


def shares(before: dict[int, float], after: dict[int, float]) -> list[float]:
    """Each child's share of what the children used between two ``by_child``."""
    spent = {pid: after[pid] - before.get(pid, 0.0) for pid in after}
    total = sum(spent.values()) or 1.0
    return sorted((s / total for s in spent.values() if s / total > 0.01), reverse=True)


def postmaster(data_folder: Path) -> Tree | None:
    """The tree of the PostgreSQL server whose data folder is ``data_folder``."""
    try:
        return Tree(int((data_folder / "postmaster.pid").read_text().split()[0]))
    except (OSError, ValueError, IndexError):
        return None


def own_seconds() -> float:
    """This process's CPU time (all its threads)."""
    times = os.times()
    return times.user + times.system


def connections_by_child(parent: int, port: int) -> list[int]:
    """How many established TCP connections on local ``port`` each direct child of
    ``parent`` holds (a server's workers and their clients), most first."""
    inodes: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                inodes.add(fields[9])
    counts = []
    for pid in _children().get(parent, []):
        held = 0
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                link = os.readlink(fd)
                held += link.startswith("socket:[") and link[8:-1] in inodes
        except OSError:
            continue
        counts.append(held)
    return sorted((c for c in counts if c), reverse=True)
