"""One setting read straight from the environment, without pydantic (issue 19).

``spinewise.config.Settings`` reads and checks every ``SPINEWISE_*`` setting, and
importing pydantic-settings for it is half a CPU-second of a command's start. A command
that needs one setting and nothing else (``spinewise db status``: the database URL; the
``--lang`` option: the languages offered) reads that setting here, as
pydantic-settings finds it: ``SPINEWISE_`` and the field name in any letter case, the
text as written (an empty value stays empty), else the same default as ``Settings``
(a test holds the two to the same answers). Its other settings are not checked then:
the commands that use them read ``Settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PREFIX = "SPINEWISE_"
DEFAULT_LANGUAGES = "en,ru"
"""The languages offered when ``SPINEWISE_LANGUAGES`` is unset."""


def default_database_url() -> str:
    """A SQLite file in the user's data directory."""
    from platformdirs import user_data_dir

    folder = Path(user_data_dir("spinewise", appauthor=False))
    return f"sqlite:///{folder / 'spinewise.sqlite3'}"


def environment_setting(
    name: str, environ: Mapping[str, str] | None = None
) -> str | None:
    """The text of setting ``name`` (a ``Settings`` field) in the environment, or
    None when unset; names match in any letter case, as pydantic-settings matches
    them (of two spellings set, the later wins, as there)."""
    wanted = (PREFIX + name).lower()
    found: str | None = None
    for key, value in (os.environ if environ is None else environ).items():
        if key.lower() == wanted:
            found = value
    return found


def database_url(environ: Mapping[str, str] | None = None) -> str:
    """``SPINEWISE_DATABASE_URL``, or the default SQLite file."""
    url = environment_setting("database_url", environ)
    return default_database_url() if url is None else url


def languages(environ: Mapping[str, str] | None = None) -> str:
    """``SPINEWISE_LANGUAGES`` as written, or ``en,ru``."""
    offered = environment_setting("languages", environ)
    return DEFAULT_LANGUAGES if offered is None else offered
