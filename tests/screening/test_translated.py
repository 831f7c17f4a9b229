"""A decision in Russian: the words change, the codes do not; in English the
translated text is exactly the engine's own (over every golden case and many more)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from tests.conftest import CASE_FILES
from tests.factories import make_assessment
from tests.strategies import assessments

from spinewise.i18n import Translator
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment, Decision
from spinewise.screening import (
    decision_document,
    screen,
    translate_decision,
    translated_summary,
)

ENGLISH = Translator("en")


def case_decision(case: Path, kb: KnowledgeBase) -> Decision:
    return screen(Assessment.model_validate(yaml.safe_load(case.read_text())), kb)


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_english_summary_is_the_engines_own(case: Path, kb: KnowledgeBase) -> None:
    decision = case_decision(case, kb)
    assert translated_summary(decision, ENGLISH) == decision.summary
    assert translate_decision(decision, kb, "en") is decision


@settings(max_examples=150)
@given(assessments())
def test_english_summary_is_the_engines_own_for_any_assessment(
    assessment: Assessment,
) -> None:
    from spinewise.kb import load_kb

    kb = _KB.get("kb") or _KB.setdefault("kb", load_kb())
    decision = screen(assessment, kb)
    assert translated_summary(decision, ENGLISH) == decision.summary


_KB: dict[str, KnowledgeBase] = {}


@pytest.mark.parametrize("case", CASE_FILES, ids=[c.stem for c in CASE_FILES])
def test_russian_decision_keeps_every_code(case: Path, kb: KnowledgeBase) -> None:
    decision = case_decision(case, kb)
    russian = translate_decision(decision, kb, "ru")
    english_doc, russian_doc = decision.to_contract(), russian.to_contract()
    for field in ("summary", "findings"):
        english_doc.pop(field), russian_doc.pop(field)
    assert russian_doc == english_doc
    for en, ru in zip(decision.findings, russian.findings, strict=True):
        assert ru.model_dump(exclude={"message"}) == en.model_dump(exclude={"message"})
        assert ru.message == kb.in_language("ru").rule(en.rule).message
    assert russian.summary != decision.summary


def test_russian_summary_of_a_red_flag_names_the_rules(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(red_flags={"saddle_anaesthesia": True}), kb)
    russian = translate_decision(decision, kb, "ru")
    assert russian.summary.startswith(
        "Симптом опасности (RF-CES-01): никакого массажа."
    )
    assert "синдром конского хвоста" in russian.findings[0].message


def test_russian_summary_counts_missing_answers_in_russian(kb: KnowledgeBase) -> None:
    decision = screen(
        make_assessment(red_flags={"saddle_anaesthesia": None, "fever": None}), kb
    )
    summary = translate_decision(decision, kb, "ru").summary
    assert summary.startswith(
        f"Недостаточно данных: нет ответов на {len(decision.missing)} вопроса"
    )
    assert "red_flags.saddle_anaesthesia" in summary


def test_russian_summary_names_the_modalities(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(medications={"anticoagulants": True}), kb)
    summary = translate_decision(decision, kb, "ru").summary
    assert "классический массаж (с ограничениями)" in summary  # noqa: RUF001
    assert "classical" not in summary


def test_the_document_says_its_language(kb: KnowledgeBase) -> None:
    decision = screen(make_assessment(), kb)
    document = decision_document(decision, kb, "ru")
    assert document["lang"] == "ru"
    assert document["verdict"] == decision.verdict.value
    assert decision_document(decision, kb, "en") == {
        **decision.to_contract(),
        "lang": "en",
    }
