"""``missing`` over a cohort: the null paths that leave a non-info rule undetermined.

Clinical-knowledge 4.6: the sorted null paths read by an undetermined rule of
severity red_flag, defer, contraindication or precaution, plus every null field under
``red_flags``; history dates never. Each candidate path gets a Boolean per row; the
Booleans are packed into 64-bit masks, and each distinct mask (a cohort has a few
thousand) is turned into its list once, then gathered for every row: building a list
per row directly (``concat_list`` of 45 ``when``s) is ten times slower in polars.
The lists hold an ``Enum`` of the candidate paths (one byte an item, where a string
view takes sixteen); they read as strings.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import polars as pl
import pyarrow as pa

from spinewise.kb import KnowledgeBase
from spinewise.models import Profile, Severity
from spinewise.screening.cohort.kleene import Words
from spinewise.screening.cohort.rowmasks import flag_lists
from spinewise.screening.cohort.rules import rule_null_reason
from spinewise.screening.operators import leaf_path

_MASK_BITS = 64
_WORD_BITS = 16


def _candidates(
    kb: KnowledgeBase, red_flag_paths: list[str]
) -> list[tuple[str, pl.Expr]]:
    """(path, true where the path is missing) in sorted path order."""
    read: set[str] = set(red_flag_paths)
    for rule in kb.rules:
        if rule.severity is not Severity.INFO:
            read |= rule.when.paths()
    found = []
    for path in sorted(read):
        if path.startswith("history.") and path.endswith("_date"):
            continue
        rules = [r for r in kb.rules if r.severity is not Severity.INFO]
        leaf_profiles = {
            p for r in rules if leaf_path(r.when) == path for p in r.profiles
        }
        if path in red_flag_paths or leaf_profiles == set(Profile):
            # every reason needs the path null, and here being null is enough
            found.append((path, pl.col(path).is_null()))
            continue
        terms = [
            reason
            for rule in rules
            if (reason := rule_null_reason(rule, path)) is not None
        ]
        if terms:
            found.append((path, pl.any_horizontal(terms)))
    return found


def _unpack(names: list[str]) -> Callable[[pl.Series], pl.Series]:
    words = pl.List(pl.Enum(names))
    strings = pa.array(names, pa.string())

    def lists(masks: pl.Series) -> pl.Series:
        if masks.is_empty():
            return pl.Series(masks.name, [], words)
        distinct = masks.unique()
        table = _lists_of_distinct(distinct.to_numpy().astype(np.uint64), strings)
        found = pl.Series(pl.from_arrow(table)).cast(words)
        positions = pl.int_range(0, len(distinct), dtype=pl.UInt32, eager=True)
        index = masks.replace_strict(distinct, positions)
        return found.gather(index).alias(masks.name)

    return lists


def _lists_of_distinct(masks: npt.NDArray[np.uint64], names: pa.Array) -> pa.ListArray:
    """Each mask's names (bit i set: ``names[i]``), in bit order, as one Arrow list."""
    bits = np.unpackbits(masks.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    _, found = np.nonzero(bits)
    offsets = np.zeros(len(masks) + 1, np.int32)
    np.cumsum(bits.sum(axis=1, dtype=np.int32), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), names.take(pa.array(found)))


def _mask(flags: list[pl.Expr]) -> pl.Expr:
    """The flags as bits of one UInt64 (summed 16 at a time in UInt16: less traffic)."""
    words = []
    for start in range(0, len(flags), _WORD_BITS):
        bits = [
            flag.cast(pl.UInt16) * pl.lit(1 << i, pl.UInt16)
            for i, flag in enumerate(flags[start : start + _WORD_BITS])
        ]
        words.append(
            pl.sum_horizontal(bits).cast(pl.UInt64) * pl.lit(1 << start, pl.UInt64)
        )
    return pl.sum_horizontal(words)


def lists_of_flags(flags: list[tuple[str, pl.Expr]]) -> pl.Expr:
    """Per row, the names whose flag is true, in the given order.

    A list of an ``Enum`` of the names (one byte a name; reads as strings), or of
    strings when there are more than 64 names.
    """
    if not flags:
        return pl.lit([], pl.List(pl.String))
    parts = []
    for start in range(0, len(flags), _MASK_BITS):
        group = flags[start : start + _MASK_BITS]
        mask = _mask([flag for _, flag in group])
        names = [name for name, _ in group]
        parts.append(
            mask.map_batches(_unpack(names), return_dtype=pl.List(pl.Enum(names)))
        )
    if len(parts) == 1:
        return parts[0]
    return pl.concat_list([part.cast(pl.List(pl.String)) for part in parts])


@lru_cache(maxsize=16)
def _arrow_of(names: tuple[str, ...]) -> tuple[pa.Field, pa.Array]:
    """The Arrow field of a ``missing`` column of these names (polars' List of an
    Enum) and the names as its dictionary; made once (~1.7 ms a chunk otherwise)."""
    words = pl.List(pl.Enum(list(names)))
    field = pl.DataFrame(schema={"missing": words}).to_arrow().schema.field(0)
    return field, pa.array(names, field.type.value_type.value_type)


def lists_of_bitmaps(names: list[str], flags: list[Words], rows: int) -> pl.Series:
    """``lists_of_flags`` of bitmaps (one a name, 64 rows a word; ``kleene.py``):
    the flags turned into a 64-bit mask a row, its set bits into one list a row, with
    the Enum's codes built directly (no per-row strings, no hashing)."""
    if not flags:
        return pl.Series([[]] * rows, dtype=pl.List(pl.String))
    if len(flags) > _MASK_BITS:  # beyond one Enum of codes: as strings, in parts
        parts = [
            lists_of_bitmaps(names[i : i + _MASK_BITS], flags[i : i + _MASK_BITS], rows)
            for i in range(0, len(flags), _MASK_BITS)
        ]
        frame = pl.DataFrame(
            [p.cast(pl.List(pl.String)).alias(str(i)) for i, p in enumerate(parts)]
        )
        return frame.select(pl.concat_list(frame.columns)).to_series()
    offsets, codes = flag_lists(flags, rows)
    field, words_array = _arrow_of(tuple(names))
    item = field.type.value_type
    values = pa.DictionaryArray.from_arrays(
        pa.array(codes).cast(item.index_type), words_array
    )
    buffers = [None, pa.py_buffer(offsets)]
    lists = pa.LargeListArray.from_buffers(field.type, rows, buffers, children=[values])
    return pl.Series(field.name, lists)


def missing_expr(kb: KnowledgeBase, red_flag_paths: list[str]) -> pl.Expr:
    """The ``missing`` list of every row (List(String), sorted, de-duplicated)."""
    return lists_of_flags(_candidates(kb, red_flag_paths))
