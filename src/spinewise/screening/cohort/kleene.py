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

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

Words = npt.NDArray[np.uint64]
T = TypeVar("T", bound=np.generic)
ALL = np.uint64(2**64 - 1)


def word_count(rows: int) -> int:
    return -(-rows // 64)


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
            array = column.to_arrow(compat_level=pl.CompatLevel.newest())
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


_TRANSPOSE = (
    (np.uint64(7), np.uint64(0x00AA00AA00AA00AA)),
    (np.uint64(14), np.uint64(0x0000CCCC0000CCCC)),
    (np.uint64(28), np.uint64(0x00000000F0F0F0F0)),
)


def _transpose8(words: Words, scratch: Words) -> Words:
    """Each word an 8x8 bit matrix, transposed in place: bit 8i+j <-> bit 8j+i (three
    shift-and-mask steps, in ``scratch``, as long: no new array a step)."""
    for shift, mask in _TRANSPOSE:
        np.right_shift(words, shift, out=scratch)
        scratch ^= words
        scratch &= mask
        words ^= scratch
        np.left_shift(scratch, shift, out=scratch)
        words ^= scratch
    return words


def _pool_array(shape: tuple[int, ...], dtype: type[T]) -> npt.NDArray[T]:
    """An uninitialised array in Arrow's memory pool: it keeps freed pages for the
    next use, where numpy's arrays of some hundred kilobytes and more often come as
    fresh pages (the C allocator gives large freed blocks back to the system), each
    faulted in on first write (~1.6 us a 4 KiB page here)."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    return np.frombuffer(pa.allocate_buffer(size), dtype).reshape(shape)


def _sideways(flags: list[Words], masks: npt.NDArray[np.uint8]) -> None:
    """Into ``masks`` (8 bytes a row, as many rows as the flags' words hold), flag i
    as bit i % 8 of byte i // 8 of every row (the bytes past the flags untouched).

    Eight flags at a time: their bytes side by side make one 8x8 bit matrix per 8
    rows, transposed in a word, giving a byte a row, written straight into its
    byte of every row (no byte table to transpose afterwards). The groups share
    their buffers (a new array a group costs about as much as the stacking)."""
    if len(flags) > 64:
        raise ValueError("a row mask holds 64 flags")
    size = masks.shape[0] // 8  # bytes a flag
    stacked, scratch = np.empty((size, 8), np.uint8), np.empty(size, np.uint64)
    zero = np.zeros(size, np.uint8)
    for group in range(-(-len(flags) // 8)):
        part = [f.view(np.uint8) for f in flags[group * 8 : group * 8 + 8]]
        np.stack(part + [zero] * (8 - len(part)), axis=1, out=stacked)
        matrices = _transpose8(stacked.view(np.uint64).ravel(), scratch)
        masks[:, group] = matrices.view(np.uint8)


def _list_bits(masks: Words, offsets: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    """The indices of each mask's set bits, lowest first, flat; ``offsets`` (one more
    than the masks, the first given) gets where each mask's list ends.

    Only the rows with a bit set are visited, one round per bit: round k writes the
    k-th index of every row that still has one at its start + k, then keeps the rows
    with bits left (by ``flatnonzero`` of a Boolean and a take: a Boolean-mask
    compaction costs ~4 ns an element, a ``flatnonzero`` of words ten times one of
    Booleans). The first round's arrays are Arrow's pool's (``_pool_array``)."""
    base = offsets[0]
    np.cumsum(np.bitwise_count(masks), out=offsets[1:])
    found = np.empty(int(offsets[-1]), np.uint8)
    offsets[1:] += base
    active = np.flatnonzero(masks != 0)
    n = active.size
    left, at = _pool_array((n,), np.uint64), _pool_array((n,), np.int64)
    np.take(masks, active, out=left, mode="clip")  # "clip": ``out`` unbuffered
    np.take(offsets, active, out=at, mode="clip")
    at -= base
    low = _pool_array((n,), np.uint64)
    one = np.uint64(1)
    while left.size:
        bit = low[: left.size]
        np.negative(left, out=bit)
        bit &= left  # the lowest set bit
        left ^= bit
        bit -= one  # the bits below it: as many as its index
        found[at] = np.bitwise_count(bit)
        keep = np.flatnonzero(left != 0)
        left, at = left[keep], at[keep]
        at += 1
    return found


def row_masks(flags: list[Words], rows: int) -> Words:
    """Bitmaps turned sideways: per row one 64-bit mask, flag i its bit i (at most 64
    flags)."""
    masks = np.zeros((word_count(rows) * 64, 8), np.uint8)
    _sideways(flags, masks)
    return masks.view(np.uint64).ravel()[:rows]


def set_bits(masks: Words) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Per row mask (``row_masks``), the indices of its set bits in order: (offsets,
    one more than the rows; the indices, flat)."""
    offsets = np.zeros(masks.size + 1, np.int64)
    return offsets, _list_bits(masks, offsets)


_BLOCK = 1 << 17
"""Rows a block of ``flag_lists``: its masks 1 MiB, its other arrays less."""


def flag_lists(
    flags: list[Words], rows: int, block: int = _BLOCK
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """``set_bits(row_masks(flags, rows))``, a block of rows at a time (a multiple of
    64), the masks' table reused; the offsets and the table in Arrow's pool.

    Blocks keep the work's arrays near the cache's size and under the size numpy
    takes as fresh pages each time (faulted in on first write, dearer than the
    arithmetic): the same work on a chunk of 250,000 rows whole is ~1.4x slower."""
    if block % 64:
        raise ValueError("a block is whole words: a multiple of 64 rows")
    offsets = _pool_array((rows + 1,), np.int64)
    offsets[0] = 0
    table = _pool_array((min(block, word_count(rows) * 64), 8), np.uint8)
    table.fill(0)
    pieces = []
    for start in range(0, rows, block):
        stop = min(start + block, rows)
        words = slice(start // 64, word_count(stop))
        masks = table[: (words.stop - words.start) * 64]
        _sideways([f[words] for f in flags], masks)
        ends = offsets[start : stop + 1]
        pieces.append(_list_bits(masks.view(np.uint64).ravel()[: stop - start], ends))
    return offsets, np.concatenate(pieces) if pieces else np.empty(0, np.uint8)
