"""The reader of a packed-answers layout, generated once as one Python function.

Unpacking runs for every assessment read, and a generic loop building each section
with ``dict(zip(keys, values))`` costs three times what parsing the JSON does. The
function made here from the frozen layout (``packing.LAYOUT_1``) unpacks each
section's list into names (which checks its length: a list of another length raises
``ValueError`` as it is unpacked), builds the whole document as dict displays with
constant keys, then drops the sections the document left out. It answers None for
anything not exactly in the layout's shape (a section of another length or type),
and the caller then takes the generic path, which refuses it. The generated text holds only the layout's own names (checked to be
identifiers) and indices; it is compiled with ``compile()`` and bound with
``FunctionType``, seeing no builtins but ``ValueError``.
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
    heads = ", ".join(f"s{i}" for i in range(1, len(layout) + 1))
    lines = ["def read(v):", "    try:", f"        _, {heads} = v"]
    items = ["'schema': SCHEMA"]
    for i, (name, keys) in enumerate(layout, start=1):
        items.append(f"{name!r}: s{i}")
        if keys is None:
            continue
        values = ", ".join(f"a{i}_{j}" for j in range(len(keys)))
        inner = ", ".join(f"{key!r}: a{i}_{j}" for j, key in enumerate(keys))
        lines += [  # a list of another length raises ValueError as it is unpacked
            f"        if s{i}.__class__ is LIST:",
            f"            {values}, = s{i}",
            f"            s{i} = {{{inner}}}",
            f"        elif not (s{i} is None or s{i}.__class__ is INT and s{i} == 0):",
            "            return None",
        ]
    lines += ["    except ValueError:", "        return None"]
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
        "ValueError": ValueError,
    }
    reader: Reader = FunctionType(function_code, namespace)
    return reader
