"""The cards of one hook call, from what it read: the questionnaire screened as of the
call's date with the clearance on Spinewise's record (``current``), the safety notes
(``interop.cds.safety``), and what was skipped of the EHR's data (``skips``).

A call with no Spinewise questionnaire, or one that cannot be read, gets a warning
card saying so, never a go-ahead: nothing is then known about red flags or
contraindications.
"""

from __future__ import annotations

from spinewise.errors import InputError
from spinewise.interop import cards_for, check_patient, choose_response, response_body
from spinewise.interop.cds.hooks import Card, unavailable_card
from spinewise.interop.cds.safety import annotate
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.services.cds.answers import Built
from spinewise.services.cds.cache import ScreeningCache
from spinewise.services.cds.current import CallContext, screen_current
from spinewise.services.cds.fetch import HookData
from spinewise.services.cds.skips import noting_skips, with_skips


def _no_assessment(hook_instance: str, base: str, ignored: int) -> Card:
    others = (
        f" {ignored} other response(s) (another questionnaire, patient or status) "
        "were ignored."
        if ignored
        else ""
    )
    return unavailable_card(
        hook_instance,
        base,
        code="no-assessment",
        summary="No Spinewise screening on record: the patient must answer the "
        "Spinewise questionnaire before any massage",
        detail=f"No completed Spinewise questionnaire was found for this patient."
        f"{others} Without it nothing is known about red flags or "
        "contraindications: do not massage until it is answered.",
    )


def _unreadable(hook_instance: str, base: str, error: InputError) -> Card:
    listed = "\n".join(f"- {p.field}: {p.message}" for p in error.problems)
    return unavailable_card(
        hook_instance,
        base,
        code="unreadable-assessment",
        summary="The Spinewise questionnaire on record cannot be read: screen again "
        "before any massage",
        detail=f"The latest questionnaire has answers Spinewise cannot read:\n\n{listed}",
    )


class CallCards:
    """Builds the cards and the answer of a hook call (the service's KB, its
    screening cache and its public URL)."""

    def __init__(self, kb: KnowledgeBase, screening: ScreeningCache, base: str) -> None:
        self._kb = kb
        self._screening = screening
        self._base = base

    def built(
        self,
        hook_instance: str,
        data: HookData,
        ordered: tuple[Modality, ...] | None,
        context: CallContext,
    ) -> Built:
        """The answer's JSON, its cards and the verdict, built (``AnswerCache``)."""
        cards, verdict = self.cards(hook_instance, data, ordered, context)
        cards = noting_skips(cards, data.skipped)
        return with_skips(response_body(cards), data.skipped), cards, verdict

    def cards(
        self,
        hook_instance: str,
        data: HookData,
        ordered: tuple[Modality, ...] | None,
        context: CallContext,
    ) -> tuple[list[Card], str | None]:
        """The call's cards and the screening's verdict (None when there is none)."""
        base, kb = self._base, self._kb
        check_patient(data.patient, data.patient_id, data.patient_field)
        chosen = choose_response(
            data.assessment, data.patient_id, data.assessment_field
        )
        if chosen.response is None:
            return [_no_assessment(hook_instance, base, chosen.ignored)], None
        screened = screen_current(self._screening, kb, chosen.response, context)
        if isinstance(screened, InputError):
            return [_unreadable(hook_instance, base, screened)], None
        decision, facts = screened
        cards = cards_for(decision, kb, hook_instance, base, ordered=ordered)
        cards = annotate(cards, decision, kb, facts, hook_instance, base)
        return cards, decision.verdict.value
