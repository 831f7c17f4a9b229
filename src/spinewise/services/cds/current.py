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
from spinewise.interop.fhir.condition_profile import CodedProfile, coded_profile
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
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
    coded_as = coded_profile(call.coded.resources, call.patient_id)
    parsed = cache.parsed(response, coded_as)
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
        profile_line=profile_line(parsed, coded_as),
    )
    return cache.decided(current), facts


def profile_line(assessment: Assessment, coded: CodedProfile | None) -> str:
    """What the verdict card says about the profile screened and where it came from
    (the questionnaire's profile item, else the EHR's Conditions, else herniation)."""
    asked = assessment.condition is not None and assessment.condition.profile
    if coded is None:
        source = "from the questionnaire" if asked else "the default: none coded"
    elif coded.profile is assessment.profile:
        source = f"as the EHR codes: {coded.reason}"
    else:
        source = f"the EHR codes otherwise ({coded.reason}): check the profile"
    return f"Profile: {assessment.profile.value} ({source})."
