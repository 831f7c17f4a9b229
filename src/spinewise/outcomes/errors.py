"""Errors of the outcomes package; each names the item it is about.

    ValueError
     +-- OutcomeError                 carries ``item`` and ``message``
          +-- InvalidAnswersError     wrong item count or an answer out of range
          +-- InvalidItemTextsError   a clinic's text pack does not fit
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
    """A clinic's text pack does not fit the instrument; ``problems`` lists every
    ``(field, message)`` (``item`` and ``message`` are the first)."""

    def __init__(
        self,
        item: str,
        message: str,
        problems: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(item, message)
        self.problems = problems or [(item, message)]

    @classmethod
    def of(cls, problems: list[tuple[str, str]]) -> InvalidItemTextsError:
        first = problems[0] if problems else ("(file)", "not a text pack")
        return cls(first[0], first[1], problems or [first])


class UnclassifiableChangeError(OutcomeError):
    """No change can be classified: STarT Back, unscorable or mismatched scores."""
