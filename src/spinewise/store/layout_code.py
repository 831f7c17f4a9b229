"""The reader of a packed-answers layout, generated once as one Python function.

Unpacking runs for every assessment read, and a generic loop building each section
with ``dict(zip(keys, values))`` costs three times what parsing the JSON does. The
function made here from the frozen layout (``packing.LAYOUT_1``) builds the whole
document as dict displays with constant keys, then drops the sections the document
left out. It answers None for anything not exactly in the layout's shape (a section
of another length or type), and the caller then takes the generic path, which
refuses it. The generated text holds only the layout's own names (checked to be
identifiers) and indices; it is compiled with ``compile()`` and bound with
``FunctionType``, seeing no builtins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import CodeType, FunctionType
from typing import Any

Layout = Sequence[tuple[str, Sequence[str] | None]]
Reader = Callable[[list[Any]], dict[str, Any] | None]


def _source(layout: Layout) -> str:
    names = [name for name, keys in layout for name in (name, *(keys or ()))]
    if not all(name.isidentifier() for name in names):
        raise ValueError("a layout name is not an identifier")
    lines = ["def read(v):"]
    shapes, items = [], ["'schema': SCHEMA"]
    for i, (name, keys) in enumerate(layout, start=1):
        if keys is None:
            items.append(f"{name!r}: v[{i}]")
            continue
        lines.append(f"    s{i} = v[{i}]")
        shapes.append(
            f"(s{i} is None or s{i}.__class__ is INT and s{i} == 0"
            f" or s{i}.__class__ is LIST and LEN(s{i}) == {len(keys)})"
        )
        inner = ", ".join(f"{key!r}: s{i}[{j}]" for j, key in enumerate(keys))
        items.append(f"{name!r}: {{{inner}}} if s{i}.__class__ is LIST else None")
    lines.append(f"    if not ({' and '.join(shapes)}):")
    lines.append("        return None")
    lines.append(f"    document = {{{', '.join(items)}}}")
    for i, (name, keys) in enumerate(layout, start=1):
        if keys is not None:
            lines.append(f"    if s{i}.__class__ is INT:")
            lines.append(f"        del document[{name!r}]")
    lines.append("    return document")
    return "\n".join(lines) + "\n"


def layout_reader(layout: Layout, schema: str) -> Reader:
    """A function from a packed array (layout number first, of ``len(layout) + 1``
    items: the caller checks) to the keyed document, or None when a section is not
    in the layout's shape."""
    code = compile(_source(layout), "<spinewise layout reader>", "exec")
    function_code = next(c for c in code.co_consts if isinstance(c, CodeType))
    namespace: dict[str, Any] = {
        "__builtins__": {},
        "SCHEMA": schema,
        "INT": int,
        "LIST": list,
        "LEN": len,
    }
    reader: Reader = FunctionType(function_code, namespace)
    return reader
