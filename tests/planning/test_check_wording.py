"""The checks the planner words itself, and a stored English plan's checks read in
Russian."""

from __future__ import annotations

import datetime as dt

from spinewise.i18n import Translator
from spinewise.planning import reworded_check
from spinewise.planning.check_wording import (
    locate_check,
    renewal_check,
    zone_added_change,
)

ENGLISH, RUSSIAN = Translator(), Translator("ru")
KB_TEXTS = {"Skin lesion": "Поражение кожи", "Use massage oil.": "Использовать масло."}


def kb_text(text: str) -> str:
    return KB_TEXTS.get(text, text)


def test_the_planners_checks_read_in_english_as_stored_plans_have_them() -> None:
    assert locate_check("Skin lesion", ENGLISH) == (
        "Locate before every session: Skin lesion"
    )
    assert renewal_check(dt.date(2026, 12, 24), ENGLISH) == (
        "Sessions after 2026-12-24 need a renewed physician clearance."
    )


def test_a_stored_english_check_reads_in_russian_with_the_zones_russian_name() -> None:
    stored = locate_check("Skin lesion", ENGLISH)
    assert reworded_check(stored, RUSSIAN, kb_text) == (
        "Определять на пациенте перед каждым сеансом: Поражение кожи"
    )
    renewal = renewal_check(dt.date(2026, 12, 24), ENGLISH)
    assert reworded_check(renewal, RUSSIAN, kb_text) == (
        "Для сеансов после 24.12.2026 нужен новый допуск лечащего врача."
    )


def test_any_other_check_is_the_knowledge_bases_text_looked_up() -> None:
    assert reworded_check("Use massage oil.", RUSSIAN, kb_text) == "Использовать масло."
    assert (
        reworded_check("Use massage oil.", ENGLISH, lambda t: t) == "Use massage oil."
    )


def test_a_zone_added_without_a_kb_text_of_its_own_reads_in_russian() -> None:
    stored = zone_added_change("Skin lesion", ENGLISH)
    assert stored == "Zone to avoid added: Skin lesion"
    assert reworded_check(stored, RUSSIAN, kb_text) == (
        "Добавлена запретная зона: Поражение кожи"
    )
    assert zone_added_change("Поражение кожи", RUSSIAN) == (
        "Добавлена запретная зона: Поражение кожи"
    )
