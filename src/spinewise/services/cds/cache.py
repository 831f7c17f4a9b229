"""The screening cache of the CDS service: a questionnaire seen before is not parsed
and screened again.

Screening is pure (the decision depends on the answers and the knowledge base only),
so two caches are keyed by content (keys sorted, BLAKE2b): the questionnaire JSON ->
its Assessment (or the ``InputError`` it gave), and the Assessment screened -> its
Decision. The service screens the questionnaire's answers on the call's date with
the clearance on record and the EHR's coded answers, so the decision cache sees the
assessment actually screened. Each holds ``size`` entries, least recently used out.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import orjson

from spinewise.errors import InputError
from spinewise.interop import CodedProfile, read_response
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision

Parsed = Assessment | InputError
Screened = tuple[Assessment, Decision] | InputError
Screener = Callable[[Assessment, KnowledgeBase], Decision]
CACHE_SIZE = 1024
V = TypeVar("V")


def content_key(data: object) -> bytes:
    """A digest of ``data`` as JSON with its keys sorted (BLAKE2b)."""
    return hashlib.blake2b(
        orjson.dumps(data, option=orjson.OPT_SORT_KEYS), digest_size=16
    ).digest()


class Lru(Generic[V]):
    """At most ``size`` values by key, the least recently used out (thread-safe)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[bytes, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: bytes) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: bytes, value: V) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)


class ScreeningCache:
    """Questionnaire JSON -> Assessment (or InputError); Assessment -> Decision."""

    def __init__(self, kb: KnowledgeBase, screener: Screener, size: int) -> None:
        self._kb = kb
        self._screener = screener
        self._parsed: Lru[Parsed] = Lru(size)
        self._decided: Lru[Decision] = Lru(size)

    def parsed(
        self, response: Mapping[str, Any], coded: CodedProfile | None = None
    ) -> Parsed:
        key = (
            content_key({"r": response, "c": repr(coded)})
            if coded
            else content_key(response)
        )
        found = self._parsed.get(key)
        if found is None:
            try:
                found = read_response(response, coded)
            except InputError as error:
                found = error
            self._parsed.put(key, found)
        return found

    def decided(self, assessment: Assessment) -> Decision:
        key = content_key(assessment.model_dump(mode="json", by_alias=True))
        found = self._decided.get(key)
        if found is None:
            found = self._screener(assessment, self._kb)
            self._decided.put(key, found)
        return found

    def screened(self, response: Mapping[str, Any]) -> Screened:
        """The questionnaire's own answers screened as they are."""
        parsed = self.parsed(response)
        if isinstance(parsed, InputError):
            return parsed
        return parsed, self.decided(parsed)
