"""Three-valued (Kleene) truth over bit-packed words: 64 rows a ``uint64`` word.

A truth column is two bitmaps, ``value`` (true) and ``known`` (not unknown), with
``value`` set only where ``known`` is (a row is true, false or unknown). ``&``, ``|``
and ``~`` are Kleene's and, or, not, word by word (``operators.py`` gives the same
meaning to the interpreter, the compiled rules and the polars columns):

* and: false when either side is known false; true when both are true;
* or: true when either side is true; false when both are known false;
* not: swaps true and false, keeps unknown.

Leaves read a cohort column once: a Boolean column *is* its two bitmaps (Arrow's
values and validity, copied 1 bit a row); other comparisons pack the per-row test.
Bits past the last row are never read back (``to_arrow`` takes the row count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

Words = npt.NDArray[np.uint64]
ALL = np.uint64(2**64 - 1)
_NEWEST = pl.CompatLevel.newest()  # asked once: each call reads the environment


def word_count(rows: int) -> int:
    return -(-rows // 64)


def any_of(words: Sequence[Words]) -> Words:
    """The or of bitmaps (at least one), as a new bitmap."""
    return reduce(lambda a, b: a | b, words)


def all_of(words: Sequence[Words]) -> Words:
    """The and of bitmaps (at least one), as a new bitmap."""
    return reduce(lambda a, b: a & b, words)


def pack(test: npt.NDArray[np.bool_], rows: int) -> Words:
    """A per-row Boolean (one byte a row) as bits, 64 rows a word."""
    packed = np.packbits(test, bitorder="little")
    out = np.zeros(word_count(rows) * 8, np.uint8)
    out[: packed.size] = packed
    return out.view(np.uint64)


def unpack(words: Words, rows: int) -> npt.NDArray[np.bool_]:
    """Bits back to one Boolean a row."""
    bits = np.unpackbits(words.view(np.uint8), count=rows, bitorder="little")
    return bits.view(np.bool_)


def codes(planes: list[Words], rows: int) -> npt.NDArray[np.uint8]:
    """Per row, the number whose bit ``i`` is the row's bit in ``planes[i]`` (at most
    8 planes): one unpack a plane, added times its weight (numpy shifts bytes one at a
    time, ten times slower than it multiplies or adds them)."""
    if not planes:
        return np.zeros(rows, np.uint8)
    found = unpack(planes[0], rows).view(np.uint8)  # a new array: added to in place
    for weight, plane in enumerate(planes[1:], 1):
        bits = unpack(plane, rows).view(np.uint8)
        bits *= np.uint8(1 << weight)
        found += bits
    return found


def bitmap(buffer: pa.Buffer | None, offset: int, rows: int) -> Words | None:
    """``rows`` bits of an Arrow bitmap from bit ``offset`` (None stays None)."""
    if buffer is None:
        return None
    raw = np.frombuffer(buffer, np.uint8)
    if offset % 8:
        bits = np.unpackbits(raw, bitorder="little")[offset : offset + rows]
        return pack(bits.view(np.bool_), rows)
    start = offset // 8
    data = raw[start : start + -(-rows // 8)]
    out = np.zeros(word_count(rows) * 8, np.uint8)
    out[: data.size] = data
    return out.view(np.uint64)


@dataclass(frozen=True)
class Tri:
    """A three-valued column: ``value`` true, ``known`` answered (value ⊆ known)."""

    value: Words
    known: Words

    def __and__(self, other: Tri) -> Tri:
        false = (self.known & ~self.value) | (other.known & ~other.value)
        return Tri(self.value & other.value, (self.known & other.known) | false)

    def __or__(self, other: Tri) -> Tri:
        true = self.value | other.value
        return Tri(true, (self.known & other.known) | true)

    def __invert__(self) -> Tri:
        return Tri(self.known & ~self.value, self.known)

    @property
    def unknown(self) -> Words:
        return ~self.known

    def within(self, mask: Words) -> Tri:
        """Itself on the rows of ``mask``, known false elsewhere."""
        return Tri(self.value & mask, self.known | ~mask)

    def to_arrow(self, rows: int) -> pa.BooleanArray:
        """A nullable Arrow Boolean (null where unknown), sharing the words."""
        buffers = [pa.py_buffer(self.known), pa.py_buffer(self.value)]
        return pa.BooleanArray.from_buffers(pa.bool_(), rows, buffers)

    def to_series(self, name: str, rows: int) -> pl.Series:
        series = pl.Series(name, self.to_arrow(rows))
        return series


def boolean_series(name: str, words: Words, rows: int) -> pl.Series:
    """A Boolean column without nulls from its bitmap (no validity: none to count)."""
    array = pa.BooleanArray.from_buffers(pa.bool_(), rows, [None, pa.py_buffer(words)])
    return pl.Series(name, array)


def constant(truth: bool, rows: int) -> Tri:
    words = np.full(word_count(rows), ALL if truth else 0, np.uint64)
    return Tri(words, np.full(word_count(rows), ALL, np.uint64))


def known_test(test: Words, valid: Words | None, rows: int) -> Tri:
    """A test's bits where ``valid`` (all rows when None), unknown elsewhere."""
    if valid is None:
        valid = np.full(word_count(rows), ALL, np.uint64)
    return Tri(test & valid, valid)


class Columns:
    """A chunk's columns as numpy values and validity bitmaps, each read once from
    the frame's Arrow buffers (no copy but the bitmaps; enums as their codes)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.schema = frame.schema
        self.rows = frame.height
        self._arrays: dict[str, pa.Array] = {}
        self._cache: dict[str, tuple[Any, Words | None]] = {}
        self._valid: dict[str, Words] = {}

    def arrow(self, name: str) -> pa.Array:
        if name not in self._arrays:
            column = self.frame.get_column(name)
            if column.n_chunks() > 1:
                column = column.rechunk()
            # newest: strings stay polars' own views (``wordlists.py``), not copied
            array = column.to_arrow(compat_level=_NEWEST)
            if isinstance(array, pa.ChunkedArray):
                array = array.combine_chunks()
            if isinstance(array, pa.DictionaryArray):
                array = array.indices
            self._arrays[name] = array
        return self._arrays[name]

    def booleans(self, name: str) -> Tri:
        """A Boolean column as its own bitmaps (Arrow's values and validity)."""
        if name not in self._cache:
            array = self.arrow(name)
            validity, values = array.buffers()
            test = bitmap(values, array.offset, self.rows)
            self._cache[name] = (test, bitmap(validity, array.offset, self.rows))
        test, valid = self._cache[name]
        return known_test(test, valid, self.rows)

    def numbers(self, name: str) -> tuple[npt.NDArray[Any], Words | None]:
        """A fixed-width column's values (nulls hold any value) and validity: integers,
        dates as day numbers, enums as their codes."""
        if name not in self._cache:
            array = self.arrow(name)
            validity, values = array.buffers()[:2]
            kind = array.type
            width = kind.bit_width // 8
            signed = "u" if pa.types.is_unsigned_integer(kind) else "i"
            data = np.frombuffer(
                values,
                f"<{signed}{width}",
                count=self.rows,
                offset=array.offset * width,
            )
            self._cache[name] = (data, bitmap(validity, array.offset, self.rows))
        return self._cache[name]

    def valid(self, name: str) -> Words:
        """Where the column is answered (not null); read once (never written to)."""
        if name not in self._valid:
            array = self.arrow(name)
            found = bitmap(array.buffers()[0], array.offset, self.rows)
            if found is None:
                found = np.full(word_count(self.rows), ALL, np.uint64)
            self._valid[name] = found
        return self._valid[name]
