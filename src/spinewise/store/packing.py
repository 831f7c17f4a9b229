"""Compact stored forms: assessment answers as a positional array, decisions deflated.

An assessment (and a decision's input) is stored as its *answers*: a JSON array whose
first element is the layout number and whose other elements follow that layout's
field order, section by section, with no key written anywhere:

    [1, "2026-11-24", [46, "female", false, null], 0, ["lumbar", ["L4-L5"], ...], ...]

A section is the list of its values in the layout's key order, ``null`` when the
document says ``null`` and ``0`` when the document leaves it out. A layout never
changes once written (rows keep the number they were stored with); a new assessment
field means a new layout beside the old. A document that does not fit the layout
exactly (a key the layout does not know, a missing key, another schema) is stored as
its JSON object instead, so nothing is ever lost or guessed; readers that need the
layout (the cohort read) refuse such rows.

A decision's output is stored deflated: one format byte, then zlib over its compact
JSON. Format 1 is plain zlib; format 2 (written now) primes zlib with a preset
dictionary of decision texts (``data/outcome-1.zdict``, made once by
bench/outcome_dictionary.py and frozen: its SHA-256 is checked before use), which
takes a typical output from ~4.5 KB of JSON to ~0.3 KB where plain zlib gives ~1.6 KB.
The findings' texts are kept, not re-derived: a stored decision reads the same
whatever knowledge base is loaded later. Both forms give back exactly what was stored.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any, Final

import orjson

from spinewise.errors import StoreError
from spinewise.store.layout_code import layout_reader

ASSESSMENT_SCHEMA_1: Final = "spinewise.assessment/1"
ABSENT: Final = 0
"""A section the document leaves out."""

LAYOUT_1: Final[tuple[tuple[str, tuple[str, ...] | None], ...]] = (
    ("assessed_on", None),
    ("patient", ("age", "sex", "pregnant", "pregnancy_weeks")),
    ("condition", ("profile", "region", "start_back_group", "sedentary")),
    ("hernia", ("region", "levels", "morphology", "side", "imaging")),
    (
        "symptoms",
        (
            "onset_date",
            "pain_nrs",
            "pain_trend",
            "radicular_pain",
            "antalgic_posture",
            "severe_muscle_spasm",
            "night_pain_unrelenting",
        ),
    ),
    (
        "red_flags",
        (
            "saddle_anaesthesia",
            "bladder_dysfunction",
            "bowel_dysfunction",
            "sexual_dysfunction_new",
            "bilateral_radicular_symptoms",
            "progressive_motor_weakness",
            "myelopathy_signs",
            "fever",
            "unexplained_weight_loss",
            "cancer_history",
            "recent_significant_trauma",
            "immunosuppressed",
            "iv_drug_use",
        ),
    ),
    (
        "history",
        (
            "osteoporosis",
            "long_term_corticosteroids",
            "spinal_surgery_date",
            "other_surgery_date",
            "epidural_injection_date",
        ),
    ),
    ("medications", ("anticoagulants", "antiplatelets", "analgesics")),
    (
        "circulation_skin",
        (
            "dvt_current_or_suspected",
            "bleeding_disorder",
            "varicose_veins_in_area",
            "skin_lesion_in_area",
            "fragile_skin",
            "reduced_skin_sensation",
        ),
    ),
    (
        "cardiorespiratory",
        (
            "uncontrolled_hypertension",
            "decompensated_heart_failure",
            "recent_myocardial_infarction",
        ),
    ),
    (
        "other",
        ("uncontrolled_epilepsy", "incontinence", "acute_infection", "intoxication"),
    ),
    (
        "clearance",
        ("status", "physician", "date", "valid_until", "excluded_modalities"),
    ),
)
"""Layout 1: the assessment contract ``spinewise.assessment/1``; frozen once written."""

CURRENT_LAYOUT: Final = 1
_PACKED_LENGTH: Final = 1 + len(LAYOUT_1)
_TOP_KEYS: Final = frozenset({"schema", *(name for name, _ in LAYOUT_1)})
_OUTCOME_ZLIB: Final = b"\x01"
_OUTCOME_ZDICT_1: Final = b"\x02"
_ZDICT_1_SHA256: Final = (
    "d2e06eda1cc5af2739fe2876442bfc00304c5c05c0266e43fbfbeab933efaa21"
)


@cache
def outcome_dictionary() -> bytes:
    """The frozen preset dictionary of outcome format 2 (checked against its hash)."""
    data = files("spinewise.store").joinpath("data/outcome-1.zdict").read_bytes()
    if hashlib.sha256(data).hexdigest() != _ZDICT_1_SHA256:
        raise StoreError("the stored-decision dictionary outcome-1.zdict was changed")
    return data


_SECTIONS: Final = tuple(
    (name, keys, None if keys is None else frozenset(keys)) for name, keys in LAYOUT_1
)
_LEFT_OUT: Final = object()


def _packed(document: Mapping[str, Any]) -> list[Any] | None:
    """Layout 1's array of ``document``, or None when it does not fit exactly."""
    if document.get("schema") != ASSESSMENT_SCHEMA_1 or "assessed_on" not in document:
        return None
    if not _TOP_KEYS.issuperset(document):
        return None
    packed: list[Any] = [CURRENT_LAYOUT]
    for name, keys, key_set in _SECTIONS:
        section = document.get(name, _LEFT_OUT)
        if keys is None:
            packed.append(section)
        elif section is _LEFT_OUT:
            packed.append(ABSENT)
        elif section is None:
            packed.append(None)
        elif isinstance(section, dict) and section.keys() == key_set:
            packed.append([section[k] for k in keys])
        else:
            return None
    return packed


def pack_answers(document: Mapping[str, Any]) -> str:
    """The stored form of an assessment contract document (see the module text)."""
    packed = _packed(document)
    if packed is None:
        return orjson.dumps(dict(document)).decode()
    return orjson.dumps(packed).decode()


def unpack_answers(stored: str | bytes) -> dict[str, Any]:
    """The document ``pack_answers`` stored, exactly."""
    value = orjson.loads(stored)
    if isinstance(value, dict):
        return value
    if not isinstance(value, list) or len(value) != _PACKED_LENGTH:
        raise StoreError("stored answers of an unknown layout")
    if value[0] != CURRENT_LAYOUT:
        raise StoreError("stored answers of an unknown layout")
    return _read_layout_1(value) or _unpacked(value)


def _unpacked(value: list[Any]) -> dict[str, Any]:
    """The generic reader: a section of another length is refused."""
    document: dict[str, Any] = {"schema": ASSESSMENT_SCHEMA_1}
    for (name, keys), item in zip(LAYOUT_1, value[1:], strict=True):
        if keys is None or item is None:
            document[name] = item
        elif item != ABSENT:
            try:
                document[name] = dict(zip(keys, item, strict=True))
            except (TypeError, ValueError):
                raise StoreError(f"stored answers: a malformed {name!r}") from None
    return document


_read_layout_1 = layout_reader(LAYOUT_1, ASSESSMENT_SCHEMA_1)


def answer_index(path: str) -> tuple[int, ...]:
    """Where the field ``section.key`` (or a top-level field) sits in layout 1; the
    empty path is the layout number's place."""
    if not path:
        return (0,)
    section, _, key = path.partition(".")
    for position, (name, keys) in enumerate(LAYOUT_1, start=1):
        if name != section:
            continue
        if keys is None and not key:
            return (position,)
        if keys is not None and key in keys:
            return (position, keys.index(key))
    raise StoreError(f"the field {path!r} is not in the stored answers' layout")


@cache
def _primed_packer() -> zlib._Compress:
    """A compressor that has read the dictionary and nothing else: each output is
    packed by a copy of it (priming zlib with 32 KB costs twice the copy)."""
    return zlib.compressobj(6, zdict=outcome_dictionary())


def pack_outcome(output: Mapping[str, Any]) -> bytes:
    """A decision's output, deflated (format byte 2, then zlib primed with the
    frozen dictionary over compact JSON)."""
    packer = _primed_packer().copy()
    text = orjson.dumps(dict(output))
    return _OUTCOME_ZDICT_1 + packer.compress(text) + packer.flush()


def unpack_outcome(stored: bytes) -> dict[str, Any]:
    """The output ``pack_outcome`` stored (either format), exactly."""
    kind, body = stored[:1], stored[1:]
    if kind == _OUTCOME_ZDICT_1:
        unpacker = zlib.decompressobj(zdict=outcome_dictionary())
        text = unpacker.decompress(body) + unpacker.flush()
    elif kind == _OUTCOME_ZLIB:
        text = zlib.decompress(body)
    else:
        raise StoreError("a stored decision output of an unknown format")
    value = orjson.loads(text)
    if not isinstance(value, dict):
        raise StoreError("a stored decision output is not an object")
    return value
