"""An error's words: English as they always were, translatable at the edge."""

from __future__ import annotations

import pickle

from spinewise.errors import (
    N_,
    ConflictError,
    FieldProblem,
    InputError,
    Message,
    NotFoundError,
    PermissionDeniedError,
)
from spinewise.i18n import Translator

RU = Translator("ru")
EN = Translator("en")


def test_a_marked_message_is_its_english_text() -> None:
    message = N_("must be between {low} and {high}", low=1, high=5)
    assert message == "must be between 1 and 5"
    assert message.msgid == "must be between {low} and {high}"
    assert dict(message.params) == {"low": 1, "high": 5}


def test_errors_still_read_in_english() -> None:
    problem = FieldProblem("age", N_("must be between {low} and {high}", low=1, high=5))
    assert (
        str(InputError([problem], file="a.yaml"))
        == "a.yaml: age: must be between 1 and 5"
    )
    assert str(NotFoundError("patient", 7)) == "patient 7 not found"
    assert problem == FieldProblem("age", "must be between 1 and 5")


def test_russian_fills_the_same_parameters_into_the_translation() -> None:
    problem = FieldProblem("age", N_("must be between {low} and {high}", low=1, high=5))
    assert RU.problem(problem) == FieldProblem("age", "должно быть от 1 до 5")
    assert EN.problem(problem) == problem


def test_a_word_put_into_a_sentence_is_translated_too() -> None:
    assert RU.error(NotFoundError(N_("patient"), 7)) == "не найдено: пациент 7"


def test_an_error_raised_with_a_message_is_translated_whole() -> None:
    error = PermissionDeniedError(N_("your account no longer exists"))
    assert str(error) == "your account no longer exists"
    assert RU.error(error) == "вашей учётной записи больше нет"
    conflict = ConflictError(
        N_("username {username!r} is already taken", username="ann"), "username"
    )
    assert conflict.problem is not None
    assert RU.problem(conflict.problem).message == "имя пользователя 'ann' уже занято"


def test_a_plain_text_or_an_unknown_msgid_stays_english() -> None:
    assert RU.message("something only English knows") == "something only English knows"
    assert (
        RU.message(N_("no translation of {x} exists", x=1))
        == "no translation of 1 exists"
    )
    assert RU.error(PermissionDeniedError("plain words")) == "plain words"


def test_a_translation_that_does_not_fit_its_parameters_falls_back_to_english() -> None:
    broken = Message("must be between {low} and {high}", {"low": 1}, "out of range")
    assert RU.message(broken) == str(broken)


def test_a_message_survives_pickling() -> None:
    message = N_("must be between {low} and {high}", low=1, high=5)
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.msgid == message.msgid
