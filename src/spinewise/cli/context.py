"""The settings of one ``spinewise`` run: read from ``SPINEWISE_*`` once, at the first
command that needs them, then handed to every helper of the same run."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinewise.config import Settings

_RUN: list[Settings] = []
"""The current run's settings (empty until a command asks; cleared per run)."""


def start_run() -> None:
    """Forget the previous run's settings (the app's callback, once per invocation)."""
    _RUN.clear()


def read_settings() -> Settings:
    """Settings from ``SPINEWISE_*``, or exit 2 naming the bad setting."""
    from pydantic import ValidationError

    from spinewise.cli.output import fail
    from spinewise.config import Settings
    from spinewise.errors import InputError
    from spinewise.models import problems_of

    try:
        return Settings()
    except ValidationError as exc:
        fail(InputError(problems_of(exc), file="settings (SPINEWISE_*)"))


def current_settings() -> Settings:
    """The run's settings, built once by the first command that asks."""
    if not _RUN:
        _RUN.append(read_settings())
    return _RUN[0]
