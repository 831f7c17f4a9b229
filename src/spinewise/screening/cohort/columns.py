"""A chunk's columns read where they lie, piece by piece, for the bit-packed screening.

A polars frame holds each column as pieces (a Parquet file read gives one a row
group; a chunk of the cohort starts and ends inside them). Copying a chunk's pieces
into one array a column would write every byte again and hold the copy for the
whole chunk, so the wide columns are read in place:

* per-row values (numbers, dates as day numbers, Enum codes) go piece by piece
  through a test or a difference that writes its stretch of one result
  (``Columns.rowwise``), or are gathered at given rows (``Columns.take``);
* their validity bitmaps are joined into one bitmap of the chunk's rows, 64 rows a
  word (``join_bits``: byte copies where the pieces fall on whole bytes, word shifts
  where they do not);
* a list column's words are looked up piece by piece (``Columns.holding``).

Boolean columns, one bit a row, are joined by polars: handling their pieces costs
more than the copy. A column of one piece costs nothing more: its values are the
Arrow buffer itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from spinewise.screening.cohort.kleene import (
    ALL,
    Tri,
    Words,
    known_test,
    pack,
    word_count,
)
from spinewise.screening.cohort.wordlists import rows_holding

Values = npt.NDArray[Any]
Fill = Callable[..., object]
"""``fill(*values, out=out)`` writes into ``out`` one value a row from the columns'
values on the same rows (a numpy ufunc is one)."""
Bits = tuple[npt.NDArray[np.uint8] | None, int, int]
"""A bitmap piece: its bytes (None: every bit set), the bit it starts at, its length."""
Piece = tuple[int, pa.Array]
"""A column's piece: the chunk's row it starts at, and its Arrow array."""

_NEWEST = pl.CompatLevel.newest()  # asked once: each call reads the environment


def is_in(values: Sequence[Any]) -> Fill:
    """A fill: is the row's value one of ``values`` (a few: one comparison each)."""

    def fill(data: Values, out: npt.NDArray[np.bool_]) -> None:
        if not values:
            out[:] = False
            return
        np.equal(data, values[0], out=out)
        for value in values[1:]:
            out |= data == value

    return fill


def compared(order: np.ufunc, value: Any) -> Fill:
    """A fill: ``order(row's value, value)``, e.g. ``compared(np.less, 3)``."""

    def fill(data: Values, out: npt.NDArray[np.bool_]) -> None:
        order(data, value, out=out)

    return fill


def join_bits(parts: Sequence[Bits], rows: int) -> Words | None:
    """The pieces' bits one after another in ``rows`` bits (None when every piece is
    None: every bit set). Nothing past a piece's length is copied."""
    if all(data is None for data, _, _ in parts):
        return None
    out = np.zeros(word_count(rows) * 8, np.uint8)
    at = 0
    for data, offset, length in parts:
        if length == 0:
            continue
        if at % 8 == 0 and offset % 8 == 0:
            _copy_bytes(out, at, data, offset, length)
        else:
            _or_shifted(out.view(np.uint64), at, _words_of(data, offset, length))
        at += length
    return out.view(np.uint64)


def _copy_bytes(
    out: npt.NDArray[np.uint8],
    at: int,
    data: npt.NDArray[np.uint8] | None,
    offset: int,
    length: int,
) -> None:
    """A piece that starts on a whole byte on both sides: its bytes, the last one cut
    to the piece's length (the next piece may start inside it)."""
    start, size = at // 8, -(-length // 8)
    if data is None:
        out[start : start + size] = 0xFF
    else:
        first = offset // 8
        out[start : start + size] = data[first : first + size]
    if length % 8:
        out[start + size - 1] &= np.uint8((1 << (length % 8)) - 1)


def _words_of(data: npt.NDArray[np.uint8] | None, offset: int, length: int) -> Words:
    """A piece's bits from bit 0, 64 a word, nothing set past its length."""
    if data is None:
        return pack(np.ones(length, np.bool_), length)
    first, skip = offset // 8, offset % 8
    raw = data[first : first + -(-(skip + length) // 8)]
    bits = np.unpackbits(raw, bitorder="little")[skip : skip + length]
    return pack(bits.view(np.bool_), length)


def _or_shifted(out: Words, at: int, words: Words) -> None:
    """``words`` or-ed into ``out`` from bit ``at``: each word's high bits spill into
    the next word (none past ``out``'s end, which is past the piece's)."""
    first, shift = at // 64, np.uint64(at % 64)
    count = len(words)
    out[first : first + count] |= words << shift
    if shift:
        spill = min(count, len(out) - first - 1)
        out[first + 1 : first + 1 + spill] |= words[:spill] >> (np.uint64(64) - shift)


class Columns:
    """A chunk's columns, each read once from the frame's Arrow pieces (Enums as
    their codes)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.schema = frame.schema
        self.rows = frame.height
        self._pieces: dict[str, list[Piece]] = {}
        self._values: dict[str, list[tuple[int, Values]]] = {}
        self._validity: dict[str, Words | None] = {}
        self._valid: dict[str, Words] = {}
        self._booleans: dict[str, Tri] = {}
        self._scratch: npt.NDArray[np.bool_] | None = None

    def pieces(self, name: str) -> list[Piece]:
        """The column's Arrow arrays with their first rows; polars' own string views
        stay views (``wordlists.py``)."""
        if name not in self._pieces:
            column = self.frame.get_column(name)
            if column.dtype == pl.Boolean and column.n_chunks() > 1:
                column = column.rechunk()  # 1 bit a row: cheaper than its pieces
            chunks = column.get_chunks() if column.n_chunks() > 1 else [column]
            found, start = [], 0
            for chunk in chunks:
                array = chunk.to_arrow(compat_level=_NEWEST)
                if isinstance(array, pa.DictionaryArray):
                    array = array.indices
                found.append((start, array))
                start += len(array)
            self._pieces[name] = found
        return self._pieces[name]

    def _bits(self, name: str, buffer: int) -> Words | None:
        parts: list[Bits] = []
        for _, array in self.pieces(name):
            found = array.buffers()[buffer]
            data = None if found is None else np.frombuffer(found, np.uint8)
            parts.append((data, array.offset, len(array)))
        return join_bits(parts, self.rows)

    def validity(self, name: str) -> Words | None:
        """Where the column is answered (None: everywhere); read once."""
        if name not in self._validity:
            self._validity[name] = self._bits(name, 0)
        return self._validity[name]

    def valid(self, name: str) -> Words:
        """Where the column is answered, as words (never written to)."""
        if name not in self._valid:
            found = self.validity(name)
            if found is None:
                found = np.full(word_count(self.rows), ALL, np.uint64)
            self._valid[name] = found
        return self._valid[name]

    def booleans(self, name: str) -> Tri:
        """A Boolean column as its own bitmaps (Arrow's values and validity)."""
        if name not in self._booleans:
            test = self._bits(name, 1)
            assert test is not None  # a Boolean array always has its values
            self._booleans[name] = known_test(test, self.validity(name), self.rows)
        return self._booleans[name]

    def values(self, name: str) -> list[tuple[int, Values]]:
        """A fixed-width column's values piece by piece, with each piece's first row
        (a null holds any value): integers, dates as day numbers, Enum codes."""
        if name not in self._values:
            found = []
            for start, array in self.pieces(name):
                kind = array.type
                width = kind.bit_width // 8
                signed = "u" if pa.types.is_unsigned_integer(kind) else "i"
                data = np.frombuffer(
                    array.buffers()[1],
                    f"<{signed}{width}",
                    count=len(array),
                    offset=array.offset * width,
                )
                found.append((start, data))
            self._values[name] = found
        return self._values[name]

    def rowwise(
        self, names: Sequence[str], fill: Fill, dtype: type, out: Values | None = None
    ) -> Values:
        """One value a row, written by ``fill`` from the values of ``names`` on the
        same rows, a stretch at a time (every column's pieces cut at the others'
        edges), into ``out`` if given."""
        parts = [self.values(n) for n in names]
        if out is None:
            out = np.empty(self.rows, dtype)
        if all(len(part) == 1 for part in parts):
            fill(*(part[0][1] for part in parts), out=out)
            return out
        edges = sorted({s for part in parts for s, _ in part} | {self.rows})
        at = [0] * len(parts)
        for lo, hi in pairwise(edges):
            args = []
            for i, part in enumerate(parts):
                while at[i] + 1 < len(part) and part[at[i] + 1][0] <= lo:
                    at[i] += 1
                start, data = part[at[i]]
                args.append(data[lo - start : hi - start])
            fill(*args, out=out[lo:hi])
        return out

    def test(self, names: Sequence[str], fill: Fill) -> Words:
        """A per-row test of the values of ``names`` (``rowwise``), as bits. Every
        test of the chunk writes its bytes into one array before packing them: a
        fresh one each time would be paged in afresh (the allocator hands a block
        this large back to the system when it is freed)."""
        if self._scratch is None:
            self._scratch = np.empty(self.rows, np.bool_)
        return pack(self.rowwise(names, fill, np.bool_, self._scratch), self.rows)

    def take(self, name: str, rows: npt.NDArray[np.intp]) -> Values:
        """The values at ``rows`` (ascending), any value where null."""
        parts = self.values(name)
        if len(parts) == 1:
            return parts[0][1][rows]
        out: Values = np.empty(len(rows), parts[0][1].dtype)
        ends = np.searchsorted(rows, [s for s, _ in parts[1:]] + [self.rows])
        first = 0
        for (start, data), end in zip(parts, ends, strict=True):
            out[first:end] = data[rows[first:end] - start]
            first = end
        return out

    def holding(self, name: str, words: Sequence[str]) -> list[Words]:
        """Per word, the rows whose list (a list-of-strings column) holds it
        (``wordlists.rows_holding``, piece by piece)."""
        pieces = self.pieces(name)
        found = [rows_holding(array, words) for _, array in pieces]
        if len(found) == 1:
            return found[0]
        joined = []
        for i in range(len(words)):
            parts: list[Bits] = [
                (bits[i].view(np.uint8), 0, len(array))
                for bits, (_, array) in zip(found, pieces, strict=True)
            ]
            bitmap = join_bits(parts, self.rows)
            assert bitmap is not None  # every part has its bytes
            joined.append(bitmap)
        return joined
