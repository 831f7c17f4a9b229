"""Telling the EHR what the CDS service could not read (see ``interop.fhir_foreign``).

What was skipped is said twice: as an ``OperationOutcome`` among the answer's
``systemActions`` (for the EHR's logs and integrators) and in a short paragraph at the
end of the last card's detail (the verdict card: a clinician reads it there), since a
resource the service could not read may be the one that matters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinewise.errors import FieldProblem
from spinewise.interop.cds.hooks import Card
from spinewise.interop.fhir.foreign import skipped_outcome

MAX_LISTED = 5


def noting_skips(cards: list[Card], skipped: Sequence[FieldProblem]) -> list[Card]:
    """The cards, the last one's detail saying what was not read. When search pages
    were left unread the latest questionnaire may be among them, so the last card is
    never ``info`` (a go-ahead) then: it becomes a ``warning``."""
    if not skipped or not cards:
        return cards
    listed = "\n".join(f"- {p.field}: {p.message}" for p in skipped[:MAX_LISTED])
    more = len(skipped) - MAX_LISTED
    if more > 0:
        listed += f"\n- and {more} more"
    note = (
        "\n\nNot read by Spinewise (the EHR sent data it cannot read; check the "
        f"record if it may matter):\n\n{listed}"
    )
    last = cards[-1]
    update: dict[str, Any] = {"detail": (last.detail or "") + note}
    if last.indicator == "info" and any(p.field.endswith(".link") for p in skipped):
        update["indicator"] = "warning"
    return [*cards[:-1], last.model_copy(update=update)]


def with_skips(body: dict[str, Any], skipped: Sequence[FieldProblem]) -> dict[str, Any]:
    """The answer with a ``systemActions`` entry holding the skips' OperationOutcome."""
    if not skipped:
        return body
    action = {
        "type": "create",
        "description": "Spinewise could not read these resources of the call",
        "resource": skipped_outcome(list(skipped)),
    }
    return {**body, "systemActions": [action]}
