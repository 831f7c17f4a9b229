"""Errors of the outcomes package; each names the item it is about.

    ValueError
     +-- OutcomeError                 carries ``item`` and ``message``
          +-- InvalidAnswersError     wrong item count or an answer out of range
          +-- InvalidItemTextsError   a clinic-supplied item-text mapping is wrong
          +-- UnclassifiableChangeError  no change classification exists for these scores

Kept here until ``spinewise.errors`` can host them (under ``InputError``).
"""

from __future__ import annotations


class OutcomeError(ValueError):
    """A problem with one item of outcome data: ``item`` is a path (``answers[3]``)."""

    def __init__(self, item: str, message: str) -> None:
        self.item = item
        self.message = message
        super().__init__(f"{item}: {message}")


class InvalidAnswersError(OutcomeError):
    """The answers do not fit the instrument: wrong count or a value out of range."""


class InvalidItemTextsError(OutcomeError):
    """Clinic-supplied item texts: unknown instrument, wrong count or a blank text."""


class UnclassifiableChangeError(OutcomeError):
    """No change can be classified: STarT Back, unscorable or mismatched scores."""
