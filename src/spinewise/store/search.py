"""The patients' normalised search key: case-insensitive search for any script.

SQLite's ``lower()`` and ``LIKE`` fold ASCII letters only, so "анна" would not find
"Анна". Each patient row therefore keeps ``search_key``: its name, record number and
birth date (ISO and day.month.year) Unicode-normalised (NFKC), case-folded, "\u0451" read as
"\u0435", spaces collapsed. A query is normalised the same way and matched as a substring
with ``LIKE ... ESCAPE``, its ``%``, ``_`` and escape character taken literally. The
same SQL runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

ESCAPE = "\\"
SEPARATOR = " | "


def normalise(text: str) -> str:
    """``text`` as the search key holds it (control characters, NUL above all,
    which PostgreSQL refuses in a string, are dropped)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u0451", "\u0435")
    shown = "".join(c for c in folded if unicodedata.category(c) != "Cc" or c.isspace())
    return " ".join(shown.split())


def patient_search_key(
    name: str, record_number: str, birth_date: dt.date | None
) -> str:
    """The key of one patient: name, record number, birth date in two spellings."""
    parts = [normalise(name), normalise(record_number)]
    if birth_date is not None:
        parts += [birth_date.isoformat(), birth_date.strftime("%d.%m.%Y")]
    return SEPARATOR.join(parts)


def like_pattern(query: str) -> str:
    """A ``LIKE`` pattern matching ``query`` anywhere, wildcards taken literally."""
    text = normalise(query)
    for char in (ESCAPE, "%", "_"):
        text = text.replace(char, ESCAPE + char)
    return f"%{text}%"
