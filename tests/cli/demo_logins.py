"""The demo's logins, read from what ``spinewise demo`` prints (its passwords are
random, shown once)."""

from __future__ import annotations

import re

_LOGIN = re.compile(r"^  [^:]+: (?P<user>[a-z0-9._-]+) / (?P<password>\S+)  \(")


def demo_passwords(printed: str) -> dict[str, str]:
    """Username → password for every demo user the run created (or renewed)."""
    found = {}
    for line in printed.splitlines():
        match = _LOGIN.match(line)
        if match and not match["password"].startswith("("):
            found[match["user"]] = match["password"]
    return found
