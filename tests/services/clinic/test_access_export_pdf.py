"""The readable right-of-access PDF of a whole course, in Russian: every label in the
reader's words (no English field name left), dates as Russian writes them."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.pdf_reading import assert_plain_words, words
from tests.pg import World
from tests.services.builders import planned_patient, session_data

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.models import Decision
from spinewise.reports import render_access_html
from spinewise.screening import translate_decision
from spinewise.store import Store

ODI = {"instrument": "odi", "answered_on": "2026-11-24", "answers": [2] * 10}
LABEL = re.compile(r"<th>(.*?)</th>")


def whole_course(store: Store, world: World, kb: KnowledgeBase) -> int:
    """A patient with details changed once, a plan, a signed session and an ODI."""
    plan = planned_patient(store, world, kb)
    therapist = world.therapist_a
    services.update_patient(
        store,
        therapist,
        plan.patient_id,
        {"name": "Анна Смирнова", "birth_date": "1970-01-02"},
    )
    services.record_session(store, therapist, plan.patient_id, session_data(plan), kb)
    services.record_response(store, therapist, plan.patient_id, ODI)
    return plan.patient_id


def english_labels(document: dict[str, object]) -> set[str]:
    """Every label (each level of it) the English PDF shows, numbers dropped; not
    the codes that name a modality's part of a decision (they are values too)."""
    page = render_access_html(document, "-", "en")
    levels = {
        re.sub(r" \d+$", "", level)
        for label in LABEL.findall(page)
        for level in html.unescape(label).split(" \u203a ")
    }
    return levels - {"classical", "vacuum", "hydromassage"}


def test_the_russian_export_pdf_has_no_english_labels_and_russian_dates(
    store: Store, world: World, kb: KnowledgeBase, tmp_path: Path
) -> None:
    patient_id = whole_course(store, world, kb)
    document = services.export_patient(store, world.therapist_a, patient_id)
    pdf = services.export_patient_pdf(
        store, world.therapist_a, patient_id, language="ru"
    )
    text = words(pdf, tmp_path)
    assert "Анна Смирнова" in text
    data = text  # the earlier name and the clinic's are data, not labels
    for name in ("Patient P-1", "Alpha Spine Clinic"):
        data = data.replace(name, "")
    left = sorted(
        label
        for label in english_labels(document)
        if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", data)
    )
    assert left == [], left
    assert "Дата рождения 2 янв. 1970 г." in text  # noqa: RUF001
    assert "2026-11-24" not in text and "24 нояб. 2026 г." in text  # noqa: RUF001
    assert_plain_words(text)


def test_the_stored_decisions_words_read_in_russian_from_their_codes(
    store: Store, world: World, kb: KnowledgeBase, tmp_path: Path
) -> None:
    patient_id = whole_course(store, world, kb)
    document = services.export_patient(store, world.therapist_a, patient_id)
    decisions = [Decision.model_validate(d["decision"]) for d in document["decisions"]]
    pdf = services.export_patient_pdf(
        store, world.therapist_a, patient_id, language="ru", kb=kb
    )
    text = words(pdf, tmp_path)
    for decision in decisions:
        russian = translate_decision(decision, kb, "ru")
        assert " ".join(russian.summary.split())[:40] in text
        assert " ".join(decision.summary.split())[:40] not in text
        for finding in russian.findings:
            assert " ".join(finding.message.split())[:30] in text
    codes = {"proceed", "allowed", "info", "disc_herniation", "active", "approved"}
    assert not codes & set(text.split()), codes & set(text.split())
    again = services.export_patient(store, world.therapist_a, patient_id)
    assert again["decisions"] == document["decisions"]  # the record stays English
