"""Login throttling: a sliding window of failed attempts per username and address.

In memory, per process; behind this small class so that a shared store (the database,
Redis) can replace it when the web tier runs as several processes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class ThrottledError(Exception):
    """Too many failed attempts; try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, round(retry_after))
        super().__init__(
            f"too many failed attempts; try again in {self.retry_after} seconds"
        )


class LoginThrottle:
    """Refuses a key after ``attempts`` failures inside ``window`` seconds."""

    def __init__(
        self,
        attempts: int,
        *,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(username: str, address: str | None) -> str:
        """The throttle key of one username from one client address."""
        return f"{username.strip().casefold()}|{address or '?'}"

    def retry_after(self, key: str) -> float | None:
        """Seconds until ``key`` may try again, or None when it may try now."""
        now = self._clock()
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.attempts:
                return None
            return max(failures[0] + self.window - now, 0.001)

    def record_failure(self, key: str) -> None:
        now = self._clock()
        with self._lock:
            failures = self._recent(key, now)
            failures.append(now)
            self._failures[key] = failures
            self._failures.move_to_end(key)
            while len(self._failures) > self._max_keys:
                self._failures.popitem(last=False)

    def reset(self, key: str) -> None:
        """Forget the failures of ``key`` (after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.get(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            self._failures.pop(key, None)
        return failures
