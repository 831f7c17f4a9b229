"""Flags turned sideways: per-row 64-bit masks and the lists of their set bits.

``missing`` (``missing.lists_of_bitmaps``) holds, per row, the candidate paths whose
flag is set, in order. The flags come as bitmaps (one a path, 64 rows a word,
``kleene.py``); here they become one mask a row (flag i its bit i: eight flags at a
time, their 8x8 bit matrices transposed across eight arrays) and each mask's set
bits a flat list with offsets, the shape of an Arrow list column. A chunk is worked
a block of rows at a time (500,000 rows are one block).
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from spinewise.screening.cohort.kleene import Words, word_count

T = TypeVar("T", bound=np.generic)


_STEPS = (
    (np.uint64(4), np.uint64(0x0F0F0F0F0F0F0F0F)),
    (np.uint64(2), np.uint64(0x3333333333333333)),
    (np.uint64(1), np.uint64(0x5555555555555555)),
)


def _transpose8(group: list[Words], zero: Words, work: Words) -> list[Words]:
    """Eight flags' words (fewer: padded with ``zero``) turned into the eight rows of
    ``work`` (one more row: scratch), the bits of each byte transposed across them:
    bit k of byte b of row i is bit i of byte b of flag k (row 8b + i of the word:
    flag k).

    Three butterfly steps across the arrays, each swapping bit blocks between pairs
    (shift, xor, mask, two xors), on whole arrays: ~70 calls a group on the flags'
    own words, where transposing an 8x8 matrix inside every word needs the eight
    flags' bytes interleaved first (a byte-wise copy costing more than the
    arithmetic). The first step writes into ``work``: the flags stay as they are."""
    words = group + [zero] * (8 - len(group))
    out, scratch = list(work[:8]), work[8]
    for step, (shift, mask) in enumerate(_STEPS):
        pair = 4 >> step
        for low in (k for k in range(8) if not k & pair):
            high = low + pair
            np.right_shift(words[low], shift, out=scratch)
            scratch ^= words[high]
            scratch &= mask
            np.bitwise_xor(words[high], scratch, out=out[high])
            np.left_shift(scratch, shift, out=scratch)
            np.bitwise_xor(words[low], scratch, out=out[low])
        words = out
    return out


def _pool_array(shape: tuple[int, ...], dtype: type[T]) -> npt.NDArray[T]:
    """An uninitialised array in Arrow's memory pool: it keeps freed pages for the
    next use, where numpy's arrays of some hundred kilobytes and more often come as
    fresh pages (the C allocator gives large freed blocks back to the system), each
    faulted in on first write (~1.6 us a 4 KiB page here)."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    return np.frombuffer(pa.allocate_buffer(size), dtype).reshape(shape)


def _sideways(flags: list[Words], table: npt.NDArray[np.uint8]) -> None:
    """Into ``table`` (8, 8 x the flags' words, 8 bytes), flag i as bit i % 8 of byte
    i // 8 of the row masks, the rows in an order of their own: ``table[i, p]`` is
    the mask of row 8p + i (bytes past the flags untouched).

    Eight flags at a time (``_transpose8``): array i of a group holds, byte p, the
    group's byte of row 8p + i, written into its byte of ``table[i]`` as a whole.
    The rows are not put back in order: ``_list_bits`` reads them where they are."""
    size = table.shape[1] // 8  # words a flag
    zero, work = np.zeros(size, np.uint64), np.empty((9, size), np.uint64)
    for group in range(-(-len(flags) // 8)):
        _transpose8(flags[group * 8 : group * 8 + 8], zero, work)
        table[:, :, group] = work[:8].view(np.uint8)  # one call: all eight arrays


def _list_bits(
    masks: Words,
    counts: npt.NDArray[np.uint8],
    offsets: npt.NDArray[np.int64],
    rows: slice,
    found: npt.NDArray[np.uint8],
) -> None:
    """Into ``found`` (its place given by ``offsets``), the indices of the set bits of
    each of ``rows``' masks, lowest first. ``masks`` is ``_sideways``' table as
    words, ``[i, p]`` the mask of row 8p + i; ``counts`` their popcounts, in row order.

    Only the rows with a bit set are visited, fetched from where the table holds
    them. Then one round per bit: round k writes the k-th index of every row that
    still has one at its start + k, then keeps the rows with bits left (by
    ``flatnonzero`` of a Boolean and a take: a Boolean-mask compaction costs ~4 ns an
    element). The first round's arrays are Arrow's pool's (``_pool_array``)."""
    active = np.flatnonzero(counts[rows] != 0)
    active += rows.start
    n, held = active.size, masks.shape[1]
    left, at = _pool_array((n,), np.uint64), _pool_array((n,), np.int64)
    np.bitwise_and(active, 7, out=at)  # where the table holds each row: i * held + p
    at *= held
    at += active >> 3
    np.take(masks.reshape(-1), at, out=left, mode="clip")  # "clip": ``out`` unbuffered
    np.take(offsets, active, out=at, mode="clip")
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


_BLOCK = 1 << 17
"""Rows a block of ``_list_bits``: its arrays stay near the cache's size. The flags
are turned sideways for the whole chunk at once: in blocks, each of ``_sideways``'
~300 calls costs more in overhead than the cache saves (blocks of 131,072 rows:
~1.1x slower in the path)."""


def flag_lists(
    flags: list[Words], rows: int, block: int = _BLOCK
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.uint8]]:
    """Per row, the indices of its set flags in order (at most 64 flags): (offsets, one
    more than the rows; the indices, flat). The flags turned sideways into one 64-bit
    mask a row (``_sideways``), their popcounts (read in row order from the table)
    summed into the offsets, then the masks' set bits listed a block of rows at a
    time (a multiple of 64; ``_list_bits``).

    The offsets and the table are in Arrow's pool: numpy takes arrays this size as
    fresh pages each time, faulted in on first write (dearer than the arithmetic).
    Smaller arrays are numpy's: in the pool, each size kept its own pages, and the
    process grew by ~12 MB more while screening 1M rows."""
    if block % 64:
        raise ValueError("a block is whole words: a multiple of 64 rows")
    if len(flags) > 64:
        raise ValueError("a row mask holds 64 flags")
    held = word_count(rows) * 64
    table = _pool_array((8, held // 8, 8), np.uint8)
    table.fill(0)  # the bytes past the flags
    _sideways([f[: held // 64] for f in flags], table)
    masks = table.view(np.uint64).reshape(8, -1)  # [i, p]: the mask of row 8p + i
    counts = np.empty((held // 8, 8), np.uint8)
    np.bitwise_count(masks.T, out=counts)  # in row order
    offsets = _pool_array((rows + 1,), np.int64)
    offsets[0] = 0
    # widened first, then summed in place: a cumsum of bytes into int64 makes a
    # temporary of the result's size (4 MB of fresh pages a 500k chunk)
    np.copyto(offsets[1:], counts.reshape(-1)[:rows])
    np.cumsum(offsets[1:], out=offsets[1:])
    found = np.empty(int(offsets[-1]), np.uint8)
    for start in range(0, rows, block):
        rows_ = slice(start, min(start + block, rows))
        _list_bits(masks, counts.reshape(-1), offsets, rows_, found)
    return offsets, found
