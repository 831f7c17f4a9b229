"""The screening cache of the CDS service: a questionnaire seen before is not parsed
and screened again.

Screening is pure (the decision depends on the answers and the knowledge base only),
so the cache is keyed by the questionnaire JSON itself (keys sorted, BLAKE2b): the same
bytes give the same decision. It holds ``size`` entries, least recently used out, and
remembers an unreadable questionnaire's ``InputError`` too.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from spinewise.errors import InputError
from spinewise.interop import read_response
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision

Screened = tuple[Assessment, Decision] | InputError
Screener = Callable[[Assessment, KnowledgeBase], Decision]
CACHE_SIZE = 1024


class ScreeningCache:
    """Questionnaire JSON -> (assessment, decision) or the InputError it gave."""

    def __init__(self, kb: KnowledgeBase, screener: Screener, size: int) -> None:
        self._kb = kb
        self._screener = screener
        self._size = size
        self._items: OrderedDict[bytes, Screened] = OrderedDict()
        self._lock = threading.Lock()

    def screened(self, response: Mapping[str, Any]) -> Screened:
        key = hashlib.blake2b(
            orjson.dumps(response, option=orjson.OPT_SORT_KEYS), digest_size=16
        ).digest()
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        result: Screened
        try:
            assessment = read_response(response)
            result = (assessment, self._screener(assessment, self._kb))
        except InputError as error:
            result = error
        with self._lock:
            self._items[key] = result
            if len(self._items) > self._size:
                self._items.popitem(last=False)
        return result
