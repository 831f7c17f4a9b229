"""Group commit of hook calls: every call recorded, callers released once durable,
a lone call written on its caller's thread."""

from __future__ import annotations

import threading

import pytest
from tests.factories import make_assessment
from tests.pg import World

from spinewise.errors import InputError
from spinewise.interop import cards_for
from spinewise.kb import KnowledgeBase
from spinewise.screening import screen
from spinewise.services import feedback_report
from spinewise.services.cds.recorder import HookRecorder
from spinewise.services.cds.shown import HookCall, hook_rows
from spinewise.store import Store

CLAIMS = {"iss": "https://ehr.example.test"}


def rows(kb: KnowledgeBase, clinic_id: int, hook: str):  # type: ignore[no-untyped-def]
    cards = cards_for(screen(make_assessment(), kb), kb, hook, "http://127.0.0.1:8000")
    call = HookCall("spinewise-patient-view", hook, "p-1", CLAIMS)
    return hook_rows(clinic_id, call, cards)


def test_concurrent_calls_are_all_recorded(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    recorder = HookRecorder(store)
    errors: list[BaseException] = []

    def call(n: int) -> None:
        try:
            recorder.record(rows(kb, world.clinic_a, f"hook-{n}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=call, args=(n,)) for n in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    shown = {r.rule: r.shown for r in feedback_report(store, world.physician_a)}
    assert shown["verdict"] == 24


def test_a_bad_call_fails_alone(store: Store, world: World, kb: KnowledgeBase) -> None:
    recorder = HookRecorder(store)
    with pytest.raises(InputError):
        recorder.record(rows(kb, 999_999, "no-such-clinic"))
    recorder.record(rows(kb, world.clinic_a, "fine"))
    shown = {r.rule: r.shown for r in feedback_report(store, world.physician_a)}
    assert shown["verdict"] == 1


def test_a_lone_call_is_written_by_its_caller_without_another_thread(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    recorder = HookRecorder(store)
    threads = set(threading.enumerate())
    recorder.record(rows(kb, world.clinic_a, "alone"))
    assert set(threading.enumerate()) == threads
    shown = {r.rule: r.shown for r in feedback_report(store, world.physician_a)}
    assert shown["verdict"] == 1
