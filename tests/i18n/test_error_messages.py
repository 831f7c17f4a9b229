"""Every message the code marks with ``N_`` (errors, refusals, field problems, the
web's labels) has its Russian translation, and each translation keeps the msgid's
``{placeholders}``: a Russian reader never meets English or an unfilled ``{name}``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from pydantic import ValidationError

from spinewise.i18n import catalogue_path
from spinewise.models import problems_of
from spinewise.models.assessment import Assessment

SRC = Path(__file__).resolve().parents[2] / "src" / "spinewise"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def _marked() -> set[str]:
    found: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords={"N_": None}
        ):
            if isinstance(message, str) and message:
                found.add(message)
    return found


MARKED = sorted(_marked())


@pytest.fixture(scope="module")
def russian() -> Catalog:
    with catalogue_path("ru").open("rb") as handle:
        return read_po(handle, locale="ru")


def test_the_code_marks_its_error_messages() -> None:
    assert "required; this field must be given" in MARKED
    assert "{kind} {key} not found" in MARKED
    assert len(MARKED) > 300


def test_every_marked_message_has_a_russian_translation(russian: Catalog) -> None:
    missing = [m for m in MARKED if not (russian.get(m) and russian.get(m).string)]
    assert missing == []


def test_every_placeholder_of_a_msgid_is_in_its_translation(russian: Catalog) -> None:
    broken = []
    for message in russian:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        if "python-brace-format" not in message.flags:
            continue
        wanted = set(PLACEHOLDER.findall(message.id))
        if wanted - set(PLACEHOLDER.findall(str(message.string))):
            broken.append(message.id)
    assert broken == []


def test_pydantic_problems_of_an_assessment_come_with_russian_words() -> None:
    from spinewise.i18n import Translator

    with pytest.raises(ValidationError) as caught:
        Assessment.model_validate(
            {"schema": "spinewise.assessment/1", "assessed_on": "x"}
        )
    problems = [Translator("ru").problem(p) for p in problems_of(caught.value)]
    by_field = {p.field: p.message for p in problems}
    assert by_field["patient"] == "обязательное поле; его нужно заполнить"  # noqa: RUF001
    assert by_field["assessed_on"].startswith(
        "нужна дата в формате ГГГГ-ММ-ДД (получено"  # noqa: RUF001
    )


def test_every_role_check_names_its_action_as_a_message() -> None:
    unmarked = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name)
                and call.func.id == "require"
                and len(call.args) == 3
            ):
                continue
            action = call.args[2]
            marked = (
                isinstance(action, ast.Call)
                and isinstance(action.func, ast.Name)
                and action.func.id == "N_"
            )
            if isinstance(action, ast.Constant) or (
                isinstance(action, ast.JoinedStr) and not marked
            ):
                unmarked.append(f"{path.relative_to(SRC)}:{call.lineno}")
    assert unmarked == []
