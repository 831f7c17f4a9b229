"""The patient's coded EHR data a hook call screens with, besides the questionnaire.

For each of the ``interop.CODED`` prefetch keys (conditions, observations, active
medications): the prefetched value, else a fetch from ``fhirServer`` with the access
token. These are optional: a key that can be neither prefetched nor fetched is
*unchecked* (so is a malformed one) and the verdict card says so; the call goes on
(the questionnaire still answers every question).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.errors import InputError
from spinewise.interop import ABSENT, HookRequest, prefetched, render_query
from spinewise.interop.cds.context import CODED
from spinewise.interop.fhir.coded_answers import resources_in
from spinewise.services.cds.http import EhrHttp, EhrUnavailableError


@dataclass(frozen=True)
class CodedData:
    """The resources read, and the keys fetched or left unchecked."""

    resources: tuple[Mapping[str, Any], ...] = ()
    fetched: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()


def coded_data(request: HookRequest, http: EhrHttp) -> CodedData:
    """The coded resources of the call (``hook_data`` has checked the server)."""
    server = request.fhirServer
    token = request.fhirAuthorization
    resources: list[Mapping[str, Any]] = []
    fetched: list[str] = []
    unchecked: list[str] = []
    for key, template in CODED.items():
        try:
            value = prefetched(request.prefetch, key)
        except InputError:  # optional data: a malformed key is unchecked, not a 400
            unchecked.append(key)
            continue
        if value is ABSENT:
            if not server or token is None:
                unchecked.append(key)
                continue
            try:
                query = render_query(template, request.context)
                value = http.fhir_get(server, query, token.access_token)
            except EhrUnavailableError:
                unchecked.append(key)
                continue
            fetched.append(key)
        resources += resources_in(value)
    return CodedData(tuple(resources), tuple(fetched), tuple(unchecked))
