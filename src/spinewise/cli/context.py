"""One ``spinewise`` run: its settings, read from ``SPINEWISE_*`` once (at the first
command that needs them), and the global options ``--lang`` and ``--quiet``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spinewise.config import Settings

_RUN: list[Settings] = []
"""The current run's settings (empty until a command asks; cleared per run)."""


@dataclass(frozen=True)
class RunOptions:
    """The global options of one run.

    ``language`` is the language asked for with ``--lang`` or ``SPINEWISE_LANG``
    (None when not asked: English, and JSON exactly as it was, without ``"lang"``);
    ``quiet`` keeps only errors (and what a command prints once and only then, like a
    new token) on the terminal.
    """

    language: str | None = None
    quiet: bool = False


_OPTIONS: list[RunOptions] = [RunOptions()]


def start_run(options: RunOptions | None = None) -> None:
    """Forget the previous run's settings and options (the app's callback, once per
    invocation)."""
    _RUN.clear()
    _OPTIONS[0] = options or RunOptions()


def run_options() -> RunOptions:
    """The global options of the current run."""
    return _OPTIONS[0]


def read_settings() -> Settings:
    """Settings from ``SPINEWISE_*``, or exit 2 naming the bad setting."""
    from pydantic import ValidationError

    from spinewise.cli.output import fail
    from spinewise.config import Settings
    from spinewise.errors import InputError

    try:
        return Settings()
    except ValidationError as exc:
        from spinewise.models import problems_of  # only then: the models are heavy

        fail(InputError(problems_of(exc), file="settings (SPINEWISE_*)"))


def current_settings() -> Settings:
    """The run's settings, built once by the first command that asks."""
    if not _RUN:
        _RUN.append(read_settings())
    return _RUN[0]


def database_url() -> str:
    """The run's database URL: the settings' once read, else ``SPINEWISE_DATABASE_URL``
    alone (``db status`` starts without pydantic; issue 19)."""
    if _RUN:
        return _RUN[0].database_url
    from spinewise import environment

    return environment.database_url()


def run_languages() -> str:
    """The languages the deployment offers (``SPINEWISE_LANGUAGES``), as ``database_url``
    reads its setting: the root's ``--lang`` needs no other setting."""
    if _RUN:
        return _RUN[0].languages
    from spinewise import environment

    return environment.languages()


def requested_language(code: str | None, field: str = "--lang") -> str | None:
    """The language a code names, among those the deployment enables (None for
    None); exit 2 naming ``field`` for any other."""
    if code is None:
        return None
    from spinewise.cli.output import fail
    from spinewise.errors import InputError
    from spinewise.i18n import parse_language, parse_languages

    try:
        enabled = parse_languages(run_languages(), field="SPINEWISE_LANGUAGES")
        return parse_language(code, field=field, enabled=enabled)
    except InputError as exc:
        fail(exc)


def use_language(language: str | None) -> None:
    """A command's own ``--lang`` (``screen``): the run's language from now on."""
    current = _OPTIONS[0]
    _OPTIONS[0] = RunOptions(language=language, quiet=current.quiet)
