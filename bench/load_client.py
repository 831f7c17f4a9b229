"""bench/load.py's load tool: an asyncio HTTP/1.1 client keeping keep-alive
connections busy with a random mix of writes and reads, in ready-made bytes."""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from collections import Counter, defaultdict
from typing import Any

from api import read_response  # bench/api.py


def wait_healthy(port: int, server: subprocess.Popen[bytes], workers: int) -> None:
    """Until ``workers`` answers of /health came (a cold start here can take 60 s)."""
    import httpx

    deadline, healthy = time.monotonic() + 180, 0
    while healthy < workers * 3:
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                healthy += 1
        except httpx.TransportError:
            time.sleep(0.2)


class Mix:
    """The requests: chosen at random, in ready-made bytes."""

    def __init__(self, token: str, patients: list[int], assessments: list[int],
                 body: bytes, writes: float) -> None:  # fmt: skip
        self.head = f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
        self.patients, self.assessments = patients, assessments
        self.body, self.writes = body, writes
        self.random = random.Random(1)

    def next(self) -> tuple[str, bytes]:
        r = self.random.random()
        if r < self.writes:
            patient = self.random.choice(self.patients)
            return "write", (
                f"POST /api/v1/patients/{patient}/assessments HTTP/1.1\r\n{self.head}"
                f"Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\n\r\n"
            ).encode() + self.body
        if r < self.writes + (1 - self.writes) / 2:
            path = f"/api/v1/assessments/{self.random.choice(self.assessments)}"
            kind = "read one"
        else:
            path = f"/api/v1/patients/{self.random.choice(self.patients)}/assessments?limit=5"
            kind = "read latest 5"
        return kind, f"GET {path} HTTP/1.1\r\n{self.head}\r\n".encode()


async def client(port: int, mix: Mix, until: float, results: dict[str, Any]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < until:
        kind, request = mix.next()
        start = time.perf_counter()
        try:
            writer.write(request)
            status = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError) as error:
            results["errors"][f"{kind}: {type(error).__name__}"] += 1
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            continue
        results["latency"][kind].append(time.perf_counter() - start)
        if not 200 <= status < 300:
            results["errors"][f"{kind}: {status}"] += 1
        elif kind == "write":
            results["written"] += 1
    writer.close()


async def run_load(
    port: int, mix: Mix, connections: int, seconds: float
) -> dict[str, Any]:
    results: dict[str, Any] = {
        "latency": defaultdict(list),
        "errors": Counter(),
        "written": 0,
    }
    until = time.perf_counter() + seconds
    await asyncio.gather(
        *(client(port, mix, until, results) for _ in range(connections))
    )
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000
