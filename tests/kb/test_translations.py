"""The KB in Russian: complete, the same rules and figures, only the words differ;
a broken catalogue stops the KB from loading, naming the file and the text key."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from spinewise.errors import KnowledgeBaseError
from spinewise.kb import KnowledgeBase, bundled_kb_path, load_kb
from spinewise.kb.translations import english_texts, placeholders

NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
IDS = re.compile(r"\b(?:[A-Z]{2}-[A-Z]{3}-\d{2}|[CTLS]\d{1,2})\b")
CYRILLIC = re.compile("[\\u0400-\\u04ff]")


def numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in NUMBER.findall(text)}


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    shutil.copytree(bundled_kb_path(), folder)
    return folder


def edit(folder: Path, old: str, new: str) -> None:
    path = folder / "i18n" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in ru.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_russian_translates_every_text_of_the_kb(kb: KnowledgeBase) -> None:
    english = english_texts(kb)
    russian = kb.translations["ru"]
    assert set(russian) == set(english)
    for key, text in russian.items():
        assert CYRILLIC.search(text), f"{key} is not Russian: {text!r}"


def test_russian_keeps_every_number_and_id_of_the_english(kb: KnowledgeBase) -> None:
    english = english_texts(kb)
    for key, text in kb.translations["ru"].items():
        assert numbers(text) == numbers(english[key]), key
        assert set(IDS.findall(text)) == set(IDS.findall(english[key])), key
        assert placeholders(text) == placeholders(english[key]), key


def test_russian_kb_differs_from_english_in_words_only(kb: KnowledgeBase) -> None:
    ru = kb.in_language("ru")
    assert [r.id for r in ru.rules] == [r.id for r in kb.rules]
    for en_rule, ru_rule in zip(kb.rules, ru.rules, strict=True):
        assert ru_rule.model_dump(exclude={"message"}) == en_rule.model_dump(
            exclude={"message"}
        )
        assert ru_rule.targets == en_rule.targets
        assert ru_rule.message != en_rule.message
    assert ru.sources == kb.sources and ru.ehr_codes == kb.ehr_codes
    assert ru.version == kb.version
    assert english_texts(ru) == kb.translations["ru"]
    assert ru.techniques is not None and kb.techniques is not None
    codes = {"kind", "areas", "minutes", "intensity", "source", "sources", "id"}
    for modality, spec in kb.techniques.modalities.items():
        ru_spec = ru.techniques.modalities[modality]
        assert ru_spec.sessions == spec.sessions
        for en_step, ru_step in zip(spec.steps, ru_spec.steps, strict=True):
            assert ru_step.model_dump(include=codes) == en_step.model_dump(
                include=codes
            )


def test_english_is_the_kb_itself(kb: KnowledgeBase) -> None:
    assert kb.in_language("en") is kb
    assert kb.in_language("ru") is kb.in_language("ru")


def test_a_kb_that_has_made_its_russian_copy_still_equals_a_fresh_load(
    kb_copy: Path,
) -> None:
    used = load_kb(kb_copy)
    used.in_language("ru")
    assert used == load_kb(kb_copy)
    assert used != used.in_language("ru")


def test_russian_uses_the_glossary_terms(kb: KnowledgeBase) -> None:
    ru = kb.in_language("ru")
    assert "синдром конского хвоста" in ru.rule("RF-CES-01").message
    assert "противопоказан" in ru.rule("CI-VAC-02").message
    assert "лечащего врача" in ru.rule("IN-DRG-01").message
    assert "межпозвонковую грыжу" in ru.rule("IN-CUR-01").message
    assert ru.techniques is not None
    steps = ru.techniques.modalities["classical"].steps
    assert [s.technique.split()[0] for s in steps][2:4] == ["Растирание", "Разминание"]
    assert "поглаживание" in steps[0].technique
    assert "вибрация" in steps[4].technique.lower()


def test_an_unknown_rule_id_is_a_load_error_naming_file_and_key(
    kb_copy: Path,
) -> None:
    edit(kb_copy, "  RF-CES-01:\n", "  RF-XXX-01:\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(kb_copy)
    message = str(caught.value)
    assert "ru.yaml" in message and "rules.RF-XXX-01.message" in message
    assert "unknown id or field 'RF-XXX-01'" in message


def test_a_key_without_english_text_is_a_load_error(kb_copy: Path) -> None:
    # the zone hernia-midline has a label but no `text` in English
    edit(
        kb_copy,
        "      hernia-midline:\n",
        "      hernia-midline:\n        text: Лишний текст.\n",
    )
    with pytest.raises(KnowledgeBaseError, match=r"zones\.hernia-midline\.text"):
        load_kb(kb_copy)


def test_a_missing_translation_is_a_load_error_when_russian_is_enabled(
    kb_copy: Path,
) -> None:
    edit(
        kb_copy,
        "        CL-6:\n          technique: Заключительное поглаживание всей спины\n",
        "",
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        load_kb(kb_copy, languages=("en", "ru"))
    assert "techniques.modalities.classical.steps.CL-6.technique" in str(caught.value)
    assert "no ru translation" in str(caught.value)
    english_only = load_kb(kb_copy, languages=("en",))
    ru = english_only.in_language("ru")
    assert ru.techniques is not None
    assert ru.techniques.modalities["classical"].steps[5].technique == (
        "Closing stroking over the whole back"
    )


def test_a_missing_catalogue_is_a_load_error_when_its_language_is_enabled(
    kb_copy: Path,
) -> None:
    (kb_copy / "i18n" / "ru.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match=r"ru\.yaml: file not found"):
        load_kb(kb_copy)
    assert load_kb(kb_copy, languages=("en",)).translations == {}


def test_placeholders_must_match_the_english(kb_copy: Path) -> None:
    edit(kb_copy, "Седловидная анестезия:", "Седловидная анестезия {field}:")
    with pytest.raises(KnowledgeBaseError, match=r"RF-CES-01\.message: placeholders"):
        load_kb(kb_copy)


def test_a_catalogue_must_say_its_language(kb_copy: Path) -> None:
    edit(kb_copy, "language: ru", "language: uk")
    with pytest.raises(KnowledgeBaseError, match=r"language: 'uk' in ru\.yaml"):
        load_kb(kb_copy)
