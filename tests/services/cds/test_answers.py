"""Remembered hook answers: a call like one answered before gets the answer the full
path builds (screening, cards, safety notes) with its own card ids, and what can
change between two calls (the clearance on record, the date) changes the answer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.factories import make_assessment
from tests.interop.fhir_server import patient_json, response_json, searchset
from tests.pg import World

from spinewise import services
from spinewise.kb import KnowledgeBase
from spinewise.models import Assessment
from spinewise.services import CdsConfig, CdsHooks
from spinewise.store import Store

DATA = Path(__file__).resolve().parents[2] / "data" / "fhir"
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
PUBLIC = "http://127.0.0.1:8000"
SERVICE = "spinewise-patient-view"
PID = "1288992"
TODAY = dt.date(2026, 12, 5)
CODED = ("conditions", "observations", "medicationStatements", "medicationRequests")


def fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((DATA / name).read_text(encoding="utf-8")))


def fresh(qr: dict[str, Any]) -> dict[str, Any]:
    return {**qr, "authored": TODAY.isoformat()}


def prefetch(assessment: object, patient: object = None, **coded: Any) -> dict:
    found: dict[str, Any] = {
        "patient": patient or patient_json(PID),
        "assessment": assessment,
    }
    for key in CODED:
        found[key] = coded.get(key, searchset())
    return found


def example_prefetches() -> list[dict[str, Any]]:
    """Each example assessment as the EHR's questionnaire, answered today."""
    found = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        assessment = Assessment.model_validate(
            yaml.safe_load(path.read_text(encoding="utf-8"))
        ).model_copy(update={"assessed_on": TODAY})
        found.append(prefetch(searchset(response_json(PID, assessment))))
    return found


def fixture_prefetches() -> list[dict[str, Any]]:
    """The prefetch fixtures of tests/data/fhir in the slots a call brings them."""
    saddle = fresh(fixture("questionnaire-saddle-no.json"))
    return [
        prefetch(searchset(fixture("questionnaire-stale.json"))),
        prefetch(searchset(fixture("questionnaire-no-authored.json"))),
        prefetch(searchset(fixture("questionnaire-amended.json"))),
        prefetch(fixture("amended-response.json")),
        prefetch(fixture("bundle-r5-and-broken.json")),
        prefetch(fixture("search-two-pages.json")),
        prefetch(
            fixture("amended-response.json"),
            patient=fixture("prefetch-patient-bundle.json"),
        ),
        prefetch(searchset(saddle)),
        prefetch(None),
        *(
            prefetch(searchset(saddle), conditions=searchset(fixture(name)))
            for name in (
                "condition-cauda-equina.json",
                "condition-cauda-equina-refuted.json",
                "condition-bone-metastases-remission.json",
            )
        ),
        prefetch(
            searchset(saddle),
            medicationStatements=searchset(
                fixture("medication-statement-anticoagulant.json")
            ),
            medicationRequests=searchset(fixture("medication-request-stopped.json")),
        ),
    ]


def call(instance: str, found: dict[str, Any]) -> bytes:
    body = {
        "hookInstance": instance,
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": PID},
        "prefetch": found,
    }
    return json.dumps(body).encode()


class Clock:
    def __init__(self, day: dt.date) -> None:
        self.now = dt.datetime.combine(day, dt.time(12), dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def service(store: Store, kb: KnowledgeBase, clock: Clock, size: int) -> CdsHooks:
    config = CdsConfig(PUBLIC, {}, "Alpha Spine Clinic")
    return CdsHooks(store, kb, config, clock=clock, cache_size=size)


CLAIMS = {"iss": "https://ehr.example.test", "jti": "j"}


@pytest.mark.parametrize("kind", ["examples", "fixtures"])
def test_a_call_like_one_before_gets_what_the_full_path_builds_with_its_own_card_ids(
    store: Store, world: World, kb: KnowledgeBase, kind: str
) -> None:
    clock = Clock(TODAY)
    remembering = service(store, kb, clock, 64)
    reference = service(store, kb, clock, 0)  # remembers nothing: builds every answer
    found = example_prefetches() if kind == "examples" else fixture_prefetches()
    for n, data in enumerate(found):
        first = remembering.answer(SERVICE, call(f"first-{n}", data), CLAIMS)
        again = remembering.answer(SERVICE, call(f"again-{n}", data), CLAIMS)
        built = reference.answer(SERVICE, call(f"again-{n}", data), CLAIMS)
        assert again == built, n
        assert [c["uuid"] for c in first["cards"]] != [
            c["uuid"] for c in again["cards"]
        ]
        assert len(remembering._answers._answers._items) == n + 1  # remembered


def test_a_clearance_recorded_between_two_calls_is_in_the_next_answer(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    patient = services.register_patient(
        store, world.therapist_a, {"record_number": PID, "name": "Anna Test"}
    )
    found = example_prefetches()[0]
    services.submit_assessment(
        store, world.therapist_a, patient.id, make_assessment(), kb
    )
    cds = service(store, kb, Clock(TODAY), 64)
    before = cds.answer(SERVICE, call("one", found), CLAIMS)
    assert "clearance" in [c["source"]["topic"]["code"] for c in before["cards"]]
    services.request_clearance(store, world.therapist_a, patient.id)
    services.record_clearance(
        store,
        world.physician_a,
        patient.id,
        {"status": "approved", "valid_until": TODAY + dt.timedelta(days=30)},
        kb,
    )
    after = cds.answer(SERVICE, call("two", found), CLAIMS)
    assert "clearance" not in [c["source"]["topic"]["code"] for c in after["cards"]]
    assert "Clearance: approved" in after["cards"][-1]["detail"]


def test_the_same_questionnaire_weeks_later_is_out_of_date(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    clock = Clock(TODAY)
    cds = service(store, kb, clock, 64)
    found = example_prefetches()[0]
    today = cds.answer(SERVICE, call("one", found), CLAIMS)
    clock.now += dt.timedelta(days=20)
    later = cds.answer(SERVICE, call("two", found), CLAIMS)
    assert "out of date" not in today["cards"][-1]["summary"]
    assert "out of date" in later["cards"][-1]["summary"]
    assert later["cards"][-1]["indicator"] != "info"
