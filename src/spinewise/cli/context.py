"""The settings of one ``spinewise`` run: read from ``SPINEWISE_*`` once, then passed
down through the command context to every helper that needs them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from spinewise.config import Settings


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
    """The run's settings: built by the first command that asks, kept on the root
    context (``ctx.obj``) for every later helper of the same run."""
    from spinewise.config import Settings

    context = click.get_current_context(silent=True)
    root = context.find_root() if context is not None else None
    if root is not None and isinstance(root.obj, Settings):
        return root.obj
    settings = read_settings()
    if root is not None:
        root.obj = settings
    return settings
