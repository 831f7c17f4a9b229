"""``spinewise --lang ru``: the CLI's human output and its own errors are Russian (#18).

A representative set of commands runs in Russian; every Latin word left in what they
print must be a code (a verdict, status, modality, role, rule id, option, setting) or
the clinic's own data (names, usernames, record numbers), never an English word of the
catalogue left untranslated. Unknown language codes exit 2, naming the option.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum

import pytest
from tests import pg
from tests.cli.running import SECRET_KEY, runner
from tests.conftest import CASES
from tests.services.builders import approve, assessed_patient, planned_patient
from typer.testing import Result

from spinewise import services
from spinewise.cli import app
from spinewise.i18n import catalogue_path
from spinewise.kb import KnowledgeBase
from spinewise.models import (
    ClearanceStatus,
    Instrument,
    Modality,
    ModalityStatus,
    RuleState,
    Severity,
    Verdict,
)
from spinewise.services import Action, Interface, Role
from spinewise.store import Store

CASE = str(CASES / "05-acute-not-now.yaml")
CODES: tuple[type[StrEnum], ...] = (
    Verdict,
    ModalityStatus,
    Modality,
    Severity,
    RuleState,
    ClearanceStatus,
    Role,
    Interface,
    Action,
)
TECHNICAL = {
    "Spinewise",
    "kb",
    "UTC",
    "JSON",
    "API",
    "en",
    "ru",
    "sqlite",
    "postgresql",
    "head",
}
_NOT_WORDS = re.compile(
    r"`[^`]*`"  # a command or code quoted as such
    r"|\S+://\S+|\S*[/\\]\S*|\S+\.(?:yaml|json|sqlite3|svg|pdf|parquet)\b"
    r"|--[a-z-]+|SPINEWISE_[A-Z_]+|\b\w+(?:[-_.]\w+)+\b"  # options, ids, snake_case
)
_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def english_words(
    text: str, allowed: set[str], quoted: tuple[str, ...] = ()
) -> set[str]:
    """The Latin words of ``text`` that are neither codes nor ``allowed`` data, once
    the ``quoted`` texts (citations: authors and titles as published) are taken out."""
    codes = {m.value for enum in CODES for m in enum}
    kept = " ".join(text.split())
    for passage in quoted:
        kept = kept.replace(" ".join(passage.split()), " ")
    kept = _NOT_WORDS.sub(" ", kept)
    return {w for w in _WORD.findall(kept) if w not in codes | allowed | TECHNICAL}


def catalogue_words() -> set[str]:
    """Every English word of the catalogue's msgids: the words the program writes."""
    text = catalogue_path("ru").read_text(encoding="utf-8")
    ids = re.findall(r'^msgid(?:_plural)? "(.*)"$', text, flags=re.MULTILINE)
    return {w.lower() for msgid in ids for w in _WORD.findall(msgid)}


def in_russian(url: str, user: str, *args: str) -> Result:
    env = {
        "SPINEWISE_DATABASE_URL": url,
        "SPINEWISE_USER": user,
        "SPINEWISE_PASSWORD": pg.PASSWORD,
        "SPINEWISE_SECRET_KEY": SECRET_KEY,
        "COLUMNS": "200",  # whole names in the tables
    }
    return runner.invoke(app, ["--lang", "ru", *args], env=env)


def test_the_word_filter_sees_english_and_lets_codes_and_data_pass() -> None:
    text = "пациент 3: C-1 Ann Lee · proceed · RF-CES-01 `spinewise demo` --json"
    assert english_words(text, {"Ann", "Lee"}) == set()
    assert english_words("пациент 3 awaiting a doctor", set()) == {
        "awaiting",
        "doctor",
    }


@pytest.mark.parametrize("backend", ["sqlite"])  # the words, not the store, are tested
def test_a_clinic_day_in_russian_leaves_no_english_word(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    screened = assessed_patient(store, world.therapist_a, kb, record_number="C-1")
    patient = str(screened.assessment.patient_id)
    approve(store, world.physician_a, patient_id=int(patient), kb=kb)
    other = assessed_patient(store, world.therapist_a, kb, record_number="C-2")
    waiting = str(other.assessment.patient_id)
    runs = [
        in_russian(database_url, "therapist-a", "screen", CASE),
        in_russian(database_url, "therapist-a", "kb", "check"),
        in_russian(database_url, "therapist-a", "patients", "list"),
        in_russian(database_url, "therapist-a", "patients", "show", patient),
        in_russian(database_url, "therapist-a", "clearance", "request", waiting),
        in_russian(database_url, "physician-a", "clearance", "pending"),
        in_russian(database_url, "physician-a", "clearance", "show", patient),
        in_russian(database_url, "physician-a", "replay"),
        in_russian(database_url, "admin-a", "users", "list"),
        in_russian(database_url, "admin-a", "token", "list"),
        in_russian(database_url, "therapist-a", "outbox"),
        in_russian(database_url, "therapist-a", "outcomes", patient),
        in_russian(database_url, "therapist-a", "db", "status"),
        in_russian(database_url, "physician-a", "clearance", "record", patient),
        in_russian(database_url, "nobody-here", "patients", "list"),
        in_russian(database_url, "therapist-a", "patients", "show", "999"),
    ]
    assert [r.exit_code for r in runs] == [0] * 13 + [2, 2, 2]
    data = {"Patient", "fine"}  # patient names and the clearance's reason
    users = json.loads(
        in_russian(database_url, "admin-a", "users", "list", "--json").stdout
    )
    data |= {w for u in users for w in _WORD.findall(u["display_name"])}
    data |= set(kb.sources)  # a source's id (ARTICLE) is a code
    citations = tuple(source.citation for source in kb.sources.values())
    printed = "\n".join(r.stdout + r.stderr for r in runs)
    assert "Traceback" not in printed
    assert _ISO_DAY.findall(printed) == [], printed
    left = english_words(printed, data, citations)
    assert left == set(), printed
    assert "укажите ровно одно: --approve или --decline" in printed
    assert "не удаётся войти как nobody-here" in printed
    assert "ошибка: не найдено: пациент 999" in printed
    shown = in_russian(
        database_url, "therapist-a", "patients", "show", patient, "--json"
    )
    overview = json.loads(shown.stdout)
    [stored] = overview["decisions"].values()
    assert overview["lang"] == "ru" and stored["decision"]["verdict"] == "proceed"
    assert stored["decision"]["summary"].startswith("Массаж можно проводить")
    untranslated = {w.lower() for w in english_words(printed, set(), citations)}
    assert untranslated & catalogue_words() <= {w.lower() for w in data}


def test_json_in_russian_says_its_language_and_keeps_codes() -> None:
    result = runner.invoke(app, ["--lang", "ru", "screen", CASE, "--json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["lang"] == "ru" and document["verdict"] == "not_now"
    assert document["summary"].startswith("Временно противопоказан")


def test_the_commands_own_lang_option_wins_over_the_global_one() -> None:
    result = runner.invoke(
        app, ["--lang", "ru", "screen", CASE, "--json", "--lang", "en"]
    )
    assert json.loads(result.stdout)["lang"] == "en"


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--lang", "klingon", "kb", "check"], {}),
        (["kb", "check"], {"SPINEWISE_LANG": "klingon"}),
    ],
)
def test_an_unknown_language_exits_2_naming_the_option(
    args: list[str], env: dict[str, str]
) -> None:
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--lang: unknown language 'klingon' (known: en, ru)" in result.stderr


def test_english_stays_the_default_and_unchanged() -> None:
    result = runner.invoke(app, ["kb", "check"])
    assert result.exit_code == 0
    assert "sources, every rule's source resolves." in result.stdout


@pytest.mark.parametrize("backend", ["sqlite"])  # the words, not the store, are tested
def test_the_schedule_messages_and_retention_commands_speak_russian(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    patient = plan.patient_id
    services.set_patient_contact(
        store, world.therapist_a, patient, email="a@example.org", language="en"
    )
    queued = services.email_link(
        store, world.therapist_a, patient, "nrs", secret=SECRET_KEY, valid_days=7,
        public_url="https://clinic.example",
    )  # fmt: skip
    link = services.create_questionnaire_link(
        store, world.therapist_a, patient, "nrs", secret=SECRET_KEY, valid_days=7
    )
    therapist = str(world.actors["therapist_a"].user_id)
    runs = [
        in_russian(database_url, "therapist-a", "schedule", "show", str(plan.id)),
        in_russian(
            database_url, "therapist-a", "schedule", "assign", str(plan.id), therapist
        ),
        in_russian(database_url, "therapist-a", "questionnaire", "due"),
        in_russian(database_url, "therapist-a", "outbox", "resend", str(queued.id)),
        in_russian(database_url, "therapist-a", "outbox", "cancel", str(queued.id)),
        in_russian(
            database_url, "therapist-a", "questionnaire", "cancel", str(link.id)
        ),
        in_russian(database_url, "admin-a", "patients", "retention", "--years", "10"),
        in_russian(database_url, "admin-a", "patients", "erase", "--expired", "--yes"),
        in_russian(database_url, "admin-a", "patients", "erase", "--yes"),
    ]
    assert [r.exit_code for r in runs] == [0] * 8 + [2]
    printed = "\n".join(r.stdout + r.stderr for r in runs)
    codes = {i.value for i in Instrument} | {"baseline", "none"}  # milestone, link
    assert english_words(printed, codes) == set(), printed
    assert f"план {plan.id}: массажист {therapist}" in printed
    assert "записи хранятся 10 лет после последней клинической записи" in printed
    assert "удалены данные 0 пациентов" in printed
    assert "ошибка: укажите номер пациента или --expired" in printed


_ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_RU_DAY = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")


@pytest.mark.parametrize("backend", ["sqlite"])  # the words, not the store, are tested
def test_dates_and_the_stored_plans_words_print_in_russian_json_keeps_iso(
    database_url: str, store: Store, world: pg.World, kb: KnowledgeBase
) -> None:
    plan = planned_patient(store, world, kb)
    shown = [
        in_russian(database_url, "therapist-a", "schedule", "show", str(plan.id)),
        in_russian(database_url, "therapist-a", "plan", str(plan.patient_id)),
        in_russian(database_url, "admin-a", "audit", "--limit", "5"),
    ]
    assert [r.exit_code for r in shown] == [0, 0, 0]
    printed = "\n".join(r.stdout for r in shown)
    assert _ISO_DAY.findall(printed) == [], printed
    assert _RU_DAY.search(printed), printed
    codes = set(kb.sources) | {"active"}  # a source id, the plan's status
    assert english_words(shown[1].stdout, codes) == set(), shown[1].stdout
    as_json = in_russian(
        database_url, "therapist-a", "schedule", "show", str(plan.id), "--json"
    )
    first = json.loads(as_json.stdout)[0]["date"]
    assert _ISO_DAY.fullmatch(first)
