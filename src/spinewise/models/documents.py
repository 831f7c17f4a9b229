"""The one reader of user files (JSON or YAML): bounded, so a hostile file fails fast.

Every file a person names (an assessment, a session note, a questionnaire, a FHIR
Bundle, a knowledge-base folder) is read here:

* only a regular file: a directory, FIFO, device or socket is refused after an
  ``os.stat`` and before any read (a FIFO is opened non-blocking, and checked again);
* at most ``max_bytes`` (``Settings.max_file_bytes``): ``/dev/zero`` never fills memory;
* UTF-8 text, else a message naming the first bad byte;
* YAML without aliases (``*name``): an alias bomb is refused at its first alias;
* nested at most ``MAX_DEPTH`` levels, integers at most 64 bits (a 5,000-digit
  number is refused, not a ``ValueError`` traceback).

Every failure is an ``InputError`` naming the file, so the CLI prints
``file: field: message`` and exits 2; no message quotes more than a short prefix.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Literal

import yaml

from spinewise.errors import N_, FieldProblem, InputError

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 100
MAX_INT_BITS = 64
Format = Literal["json", "yaml"]


def _fail(source: str | None, field: str, message: str) -> InputError:
    return InputError([FieldProblem(field, message)], file=source)


def _check_regular(mode: int, source: str) -> None:
    if stat.S_ISDIR(mode):
        raise _fail(source, "(file)", N_("is a directory; name a file"))
    if not stat.S_ISREG(mode):
        raise _fail(
            source,
            "(file)",
            N_("not a regular file (a FIFO, device or socket); name a file"),
        )


def check_regular_file(path: Path) -> os.stat_result:
    """``path``'s status when it is a regular file, else an ``InputError``."""
    source = str(path)
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise _fail(source, "(file)", N_("no such file")) from None
    except OSError as exc:
        raise _fail(
            source, "(file)", N_("cannot read: {strerror}", strerror=exc.strerror)
        ) from None
    _check_regular(status.st_mode, source)
    return status


def read_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The content of the regular file ``path``, at most ``max_bytes`` long."""
    source = str(path)
    too_large = f"larger than the limit of {max_bytes} bytes (SPINEWISE_MAX_FILE_BYTES)"
    if check_regular_file(path).st_size > max_bytes:
        raise _fail(source, "(file)", too_large)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise _fail(
            source, "(file)", N_("cannot read: {strerror}", strerror=exc.strerror)
        ) from None
    with os.fdopen(descriptor, "rb") as handle:
        _check_regular(os.fstat(descriptor).st_mode, source)
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _fail(source, "(file)", too_large)
    return data


def decode_text(data: bytes, source: str | None) -> str:
    """``data`` as UTF-8 (a leading byte-order mark is dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        raise _fail(
            source,
            "(file)",
            N_(
                "not UTF-8 text (byte 0x{bad} at offset {start})",
                bad=bad,
                start=exc.start,
            ),
        ) from None


class _BoundedLoader(yaml.SafeLoader):
    """The safe loader, refusing aliases and nesting deeper than ``MAX_DEPTH``."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed", mark
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _problem_path(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def check_bounds(data: Any, source: str | None) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` and integers over 64 bits (iterative:
    no recursion however deep ``data`` is)."""
    pending: list[tuple[Any, str, int]] = [(data, "", 1)]
    while pending:
        value, path, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise _fail(
                source,
                path or "(document)",
                N_("nested deeper than {MAX_DEPTH}", MAX_DEPTH=MAX_DEPTH),
            )
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            raise _fail(
                source, path or "(document)", N_("number too large (more than 64 bits)")
            )
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        pending.extend((v, _problem_path(path, k), depth + 1) for k, v in items)


def parse_document(text: str, kind: Format, source: str | None = None) -> Any:
    """Parse JSON or YAML ``text`` within the bounds above."""
    name = kind.upper()
    try:
        if kind == "json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=_BoundedLoader)
    except RecursionError:
        raise _fail(
            source, "(document)", N_("nested too deeply for {name}", name=name)
        ) from None
    except yaml.MarkedYAMLError as exc:
        where = f" (line {exc.problem_mark.line + 1})" if exc.problem_mark else ""
        raise _fail(
            source,
            "(document)",
            N_(
                "not valid {name}: {problem}{where}",
                name=name,
                problem=exc.problem,
                where=where,
            ),
        ) from None
    except (ValueError, yaml.YAMLError) as exc:
        message = str(exc).splitlines()[0][:200]
        if "integer string conversion" in message:
            message = "a number with more than 4300 digits"
        raise _fail(
            source,
            "(document)",
            N_("not valid {name}: {message}", name=name, message=message),
        ) from None
    check_bounds(data, source)
    return data


def format_of(path: Path) -> Format:
    """JSON for ``.json`` files, YAML for everything else."""
    return "json" if path.suffix.lower() == ".json" else "yaml"


def load_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Read and parse one user file (see the module docstring for the bounds)."""
    source = str(path)
    text = decode_text(read_bytes(path, max_bytes=max_bytes), source)
    return parse_document(text, format_of(path), source)
