"""Flags turned sideways: per-row 64-bit masks and the lists of their set bits.

``missing`` (``missing.lists_of_bitmaps``) holds, per row, the candidate paths whose
flag is set, in order. The flags come as bitmaps (one a path, 64 rows a word,
``kleene.py``); here they become one mask a row (flag i its bit i: eight flags at a
time, as 8x8 bit matrices transposed in a word) and each mask's set bits a flat list
with offsets, the shape of an Arrow list column. A chunk is worked a block of rows
at a time, so the arrays stay near the cache's size.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from spinewise.screening.cohort.kleene import Words, word_count

T = TypeVar("T", bound=np.generic)


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


_BLOCK = 1 << 17
"""Rows a block of ``flag_lists``: its masks 1 MiB, its other arrays less."""


def flag_lists(
    flags: list[Words], rows: int, block: int = _BLOCK
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Per row, the indices of its set flags in order (at most 64 flags): (offsets, one
    more than the rows; the indices, flat). Worked a block of rows at a time (a
    multiple of 64): each block's flags turned sideways into one 64-bit mask a row
    (``_sideways``), in one table reused, and the masks' set bits listed
    (``_list_bits``); the offsets and the table in Arrow's pool.

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
