"""Screen an EHR questionnaire as of the hook call: its date, Spinewise's clearance
and the EHR's coded answers.

The questionnaire's answers are screened with ``assessed_on`` = the call's date, so
every day count (acute phase, recent surgery or injection) and the clearance's
validity are as of today; its ``clearance`` items are replaced by the clearance on
Spinewise's record (``cds_clearance``); coded Conditions, Observations and active
medications set their fields to "yes" (``interop.fhir_coded_answers``). The
``CardFacts`` returned let the cards state the assessment date, whether it is out of
date, the clearance's validity and the resources cited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from spinewise.errors import InputError
from spinewise.interop.cds.context import authored_on
from spinewise.interop.cds.safety import CardFacts
from spinewise.interop.fhir.coded_answers import coded_answers, with_answers
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision
from spinewise.services.cds.cache import ScreeningCache
from spinewise.services.cds.clearance import ClearanceOnRecord
from spinewise.services.cds.ehr_data import CodedData


@dataclass(frozen=True)
class CallContext:
    """What a call screens with besides the questionnaire."""

    today: dt.date
    patient_id: str
    record: ClearanceOnRecord
    coded: CodedData
    max_age_days: int
    base_url: str
    orders: tuple[str, ...] = ()


def screen_current(
    cache: ScreeningCache,
    kb: KnowledgeBase,
    response: Mapping[str, Any],
    call: CallContext,
) -> tuple[Decision, CardFacts] | InputError:
    """The decision on the questionnaire as of the call, and the facts cards state."""
    parsed = cache.parsed(response)
    if isinstance(parsed, InputError):
        return parsed
    answers = coded_answers(call.coded.resources, kb.ehr_codes, call.patient_id)
    current = with_answers(
        parsed.model_copy(
            update={"assessed_on": call.today, "clearance": call.record.clearance}
        ),
        answers,
    )
    facts = CardFacts(
        today=call.today,
        authored=authored_on(response),
        max_age_days=call.max_age_days,
        clearance=call.record.clearance,
        record_number=call.record.record_number,
        clearance_url=call.record.request_url(call.base_url),
        known_patient=call.record.patient_id is not None,
        coded=tuple(answers),
        unchecked=call.coded.unchecked,
        orders=call.orders,
    )
    return cache.decided(current), facts
