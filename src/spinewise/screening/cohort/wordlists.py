"""Lists of words (``List(String)`` columns) asked which rows hold a word, read as
Arrow string views.

polars keeps strings as views and exports them as they are (``string_view``, no
copy). A view is 16 bytes: the length (4 bytes, little-endian), then a string of at
most 12 bytes inline, zero padded (the Arrow spec), or else a prefix and where the
bytes lie. So a view equals the view of a word of at most 12 bytes exactly when the
string is that word: both 64-bit halves compared, item by item, with no string read.
A longer word is compared by Arrow as strings.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from spinewise.screening.cohort.kleene import Words, bitmap, pack, unpack

INLINE = 12
"""The longest string a view holds inline (bytes)."""
_POOL = pa.system_memory_pool()
"""malloc, as numpy: Arrow's default pool keeps ~4 MB more resident (peak RSS)."""


def inline_view(word: str) -> tuple[np.uint64, np.uint64] | None:
    """The two 64-bit halves of the view of ``word``; None when it is not inline."""
    data = word.encode()
    if len(data) > INLINE:
        return None
    view = len(data).to_bytes(4, "little") + data.ljust(INLINE, b"\0")
    low, high = np.frombuffer(view, np.uint64)
    return low, high


def _items_equal(values: pa.Array, word: str) -> npt.NDArray[np.bool_]:
    """Per item of a string view array, whether it is ``word`` (a null item is not)."""
    halves = inline_view(word)
    if halves is None or len(values) == 0:
        hit = pc.fill_null(pc.equal(values.cast(pa.large_string()), word), False)
        return np.asarray(hit.to_numpy(zero_copy_only=False), np.bool_)
    validity, views = values.buffers()[:2]
    pairs = np.frombuffer(
        views, np.uint64, count=2 * len(values), offset=16 * values.offset
    ).reshape(-1, 2)
    found: npt.NDArray[np.bool_] = (pairs[:, 0] == halves[0]) & (
        pairs[:, 1] == halves[1]
    )
    present = bitmap(validity, values.offset, len(values))
    if present is not None:
        found &= unpack(present, len(values))
    return found


def rows_holding(array: pa.Array, words: Sequence[str]) -> list[Words]:
    """Per word, the rows of a list array (``list`` or ``large_list`` of strings)
    whose list holds it; a null list holds none. Each matching item's row is read from
    Arrow's parent indices, listed once (one pass over the offsets) if any item matches;
    one row flag array serves every word (its flags cleared after packing)."""
    rows = len(array)
    offsets = array.offsets
    first = offsets[0].as_py()
    values = array.values.slice(first, offsets[-1].as_py() - first)
    if not pa.types.is_string_view(values.type):
        values = values.cast(pa.string_view())
    present = bitmap(array.buffers()[0], array.offset, rows)
    hits = [np.flatnonzero(_items_equal(values, word)) for word in words]
    parents = np.zeros(0, np.int64)  # no item matches: no row is looked up
    if any(items.size for items in hits):
        parents = pc.list_parent_indices(array, memory_pool=_POOL).to_numpy()
    flags = np.zeros(rows, np.bool_)
    found = []
    for items in hits:
        at = parents[items]
        flags[at] = True
        held = pack(flags, rows)
        flags[at] = False
        found.append(held if present is None else held & present)
    return found
