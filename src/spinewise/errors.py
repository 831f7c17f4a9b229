"""The Spinewise exception tree.

    SpinewiseError
     +-- InputError            bad input: names the file (if any), the field and the problem
     |    +-- UnknownLanguageError  a language code Spinewise does not speak (or has off)
     +-- KnowledgeBaseError    the knowledge base failed to load: names the file and the rule
     +-- NotFoundError         no such record for this clinic (also: another clinic's record)
     +-- PermissionDeniedError the acting user's role may not do this
     +-- ConflictError         a duplicate, or a concurrent change that lost the race
     +-- PlanRefusedError      no plan without a valid clearance / allowed modality
     +-- StoreError            the database failed

Errors carry data, never HTTP codes: adapters map them (CLI exit 2, HTTP 422/404/403).

Their words are English, and translatable: a message written as
``N_("must be at most {limit}", limit=10)`` is a ``Message`` — the English text as a
``str`` (so ``str(error)``, logs and audit details stay English) that also keeps its
msgid and parameters. The adapters translate it at the edge, in the reader's language
(``spinewise.i18n.Translator.message``); ``pybabel extract`` finds the ``N_`` msgids.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Message(str):
    """An English text that knows its msgid and named parameters.

    It *is* its English text (a ``str``); ``msgid`` and ``params`` let an adapter
    write it in another language. Parameters are values (numbers, codes, field paths)
    or Messages themselves (a translatable word put into the sentence).
    """

    msgid: str
    params: Mapping[str, Any]

    def __new__(
        cls,
        msgid: str,
        params: Mapping[str, Any] | None = None,
        english: str | None = None,
    ) -> Message:
        """``english`` is the English text when it is not the msgid filled in (a
        library's own wording, kept as it was while the msgid is ours)."""
        values = dict(params or {})
        if english is None:
            english = msgid.format(**values) if values else msgid
        message = super().__new__(cls, english)
        message.msgid = msgid
        message.params = values
        return message

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.msgid, self.params, str(self)))


def N_(msgid: str, /, **params: Any) -> Message:
    """Mark ``msgid`` for the catalogue; the English text with ``params`` filled in
    (``{name}`` placeholders), carrying what a translation needs."""
    return Message(msgid, params)


def at_field(field: str, problem: str) -> Message:
    """A validator's problem with a field inside the model it checks
    (``levels[1]: ...``): the path stays a code, the problem a translatable text."""
    return N_("{field}: {problem}", field=field, problem=problem)


class SpinewiseError(Exception):
    """Root of every error Spinewise raises on purpose.

    Raised with a ``Message`` (``PermissionDeniedError(N_("..."))``), its words can
    be translated at the edge; ``text`` is that message (None for other errors).
    """

    @property
    def text(self) -> Message | None:
        first = self.args[0] if self.args else None
        return first if isinstance(first, Message) else None


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field: ``field`` is a dotted path (``hernia.levels[0]``)."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(SpinewiseError):
    """Input that does not meet its schema; carries every problem found."""

    def __init__(self, problems: list[FieldProblem], file: str | None = None) -> None:
        self.problems = problems
        self.file = file
        super().__init__(self.describe())

    def describe(self) -> str:
        prefix = f"{self.file}: " if self.file else ""
        return "\n".join(f"{prefix}{problem}" for problem in self.problems)

    def in_file(self, file: str) -> InputError:
        """The same problems, attributed to ``file``."""
        return InputError(self.problems, file=file)


class UnknownLanguageError(InputError):
    """A language code that names no language this deployment speaks."""

    def __init__(self, code: str, field: str, known: tuple[str, ...]) -> None:
        self.code = code
        message = N_(
            "unknown language {code!r} (known: {known})",
            code=code,
            known=", ".join(known),
        )
        super().__init__([FieldProblem(field, message)])


class KnowledgeBaseError(SpinewiseError):
    """The knowledge base is invalid; names the file, the rule and the problem."""

    def __init__(self, file: str, rule_id: str | None, problem: str) -> None:
        self.file = file
        self.rule_id = rule_id
        self.problem = problem
        where = f"{file}: rule {rule_id}" if rule_id else file
        super().__init__(f"{where}: {problem}")


class NotFoundError(SpinewiseError):
    """No such record visible to the acting user."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(N_("{kind} {key} not found", kind=Message(kind), key=key))


class PermissionDeniedError(SpinewiseError):
    """The acting user's role does not allow this action."""


class ConflictError(SpinewiseError):
    """A duplicate record, or a change that conflicts with a newer one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)

    @property
    def problem(self) -> FieldProblem | None:
        """The conflict as a problem of its field (None when no field owns it)."""
        return FieldProblem(self.field, self.args[0]) if self.field else None


class PlanRefusedError(SpinewiseError):
    """A course plan cannot be issued (no valid clearance, nothing allowed)."""


class StoreError(SpinewiseError):
    """The database failed in a way the caller cannot fix."""
