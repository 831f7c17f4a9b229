"""order-select: which selected orders are massage or physiotherapy, and which modality."""

from __future__ import annotations

from typing import Any

import pytest

from spinewise.errors import InputError
from spinewise.interop import ORDER_CODES, ordered_modalities, selected_orders
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality


def service_request(rid: str, **code: Any) -> dict[str, Any]:
    return {
        "resourceType": "ServiceRequest",
        "id": rid,
        "status": "draft",
        "intent": "order",
        "code": code,
        "subject": {"reference": "Patient/1288992"},
    }


def context(*resources: dict[str, Any], selections: list[str] | None = None) -> dict:
    return {
        "userId": "PractitionerRole/123",
        "patientId": "1288992",
        "selections": selections
        if selections is not None
        else [f"{r['resourceType']}/{r['id']}" for r in resources],
        "draftOrders": {
            "resourceType": "Bundle",
            "entry": [{"resource": r} for r in resources],
        },
    }


def test_a_massage_order_by_text_is_relevant_to_every_modality() -> None:
    orders = selected_orders(context(service_request("sr-1", text="Massage therapy")))
    assert [o.reference for o in orders] == ["ServiceRequest/sr-1"]
    assert ordered_modalities(orders) is None


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Hydromassage, 10 sessions", Modality.HYDROMASSAGE),
        ("Vacuum massage of the lower back", Modality.VACUUM),
        ("Cupping", Modality.VACUUM),
        ("Classical massage, lumbar", Modality.CLASSICAL),
    ],
)
def test_an_order_naming_a_modality_narrows_to_it(
    text: str, modality: Modality
) -> None:
    orders = selected_orders(context(service_request("sr-1", text=text)))
    assert ordered_modalities(orders) == (modality,)


def test_a_general_word_beside_a_modality_keeps_every_card() -> None:
    orders = selected_orders(
        context(service_request("sr-1", text="Physiotherapy with cupping"))
    )
    assert ordered_modalities(orders) is None


def test_local_modality_codes_are_recognised() -> None:
    coding = [{"system": "urn:spinewise:modality", "code": "vacuum"}]
    orders = selected_orders(context(service_request("sr-1", coding=coding)))
    assert ordered_modalities(orders) == (Modality.VACUUM,)


def test_an_unconfirmed_snomed_candidate_alone_does_not_mark_an_order(
    kb: KnowledgeBase,
) -> None:
    listed = {c.code: c for c in kb.ehr_codes.orders}
    assert listed["91251008"].confirmed is False
    assert all(c.system.startswith("urn:spinewise:") for c in ORDER_CODES)
    coding = [{"system": "http://snomed.info/sct", "code": "91251008"}]
    assert selected_orders(context(service_request("sr-1", coding=coding))) == []


def test_a_configured_extra_code_marks_an_order() -> None:
    coding = [{"system": "http://snomed.info/sct", "code": "91251008"}]
    extra = {("http://snomed.info/sct", "91251008"): ()}
    orders = selected_orders(context(service_request("sr-1", coding=coding)), extra)
    assert [o.reference for o in orders] == ["ServiceRequest/sr-1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Лечебный массаж спины, 10 сеансов", None),
        ("Вакуумный массаж поясницы", (Modality.VACUUM,)),
        ("Баночный массаж", (Modality.VACUUM,)),
        ("Гидромассаж", (Modality.HYDROMASSAGE,)),
        ("Курс классического массажа", (Modality.CLASSICAL,)),  # noqa: RUF001
    ],
)
def test_russian_order_texts_are_recognised_with_their_endings(
    text: str, expected: tuple[Modality, ...] | None
) -> None:
    orders = selected_orders(context(service_request("sr-1", text=text)))
    assert [o.text for o in orders] == [text]
    assert ordered_modalities(orders) == expected


@pytest.mark.parametrize(
    ("status", "counts"),
    [
        ("draft", True),
        ("active", True),
        ("completed", False),
        ("revoked", False),
        ("entered-in-error", False),
    ],
)
def test_only_draft_and_active_orders_count(status: str, counts: bool) -> None:
    order = {**service_request("sr-1", text="Massage"), "status": status}
    assert bool(selected_orders(context(order))) is counts


def test_only_selected_service_requests_count() -> None:
    massage = service_request("sr-1", text="Massage")
    other = service_request("sr-2", text="MRI of lumbar spine")
    assert (
        selected_orders(context(massage, other, selections=["ServiceRequest/sr-2"]))
        == []
    )


def test_the_specification_example_of_diet_and_drug_orders_is_not_relevant() -> None:
    diet = {"resourceType": "NutritionOrder", "id": "pureeddiet-simple"}
    drug = {
        "resourceType": "MedicationRequest",
        "id": "smart-MedicationRequest-103",
        "medicationCodeableConcept": {"text": "Amoxicillin oral suspension"},
    }
    assert selected_orders(context(diet, drug)) == []


def test_words_inside_other_words_do_not_match() -> None:
    orders = selected_orders(context(service_request("sr-1", text="Massager purchase")))
    assert orders == []


@pytest.mark.parametrize(
    ("broken", "field"),
    [
        ({"selections": "ServiceRequest/1"}, "context.selections"),
        ({"draftOrders": None}, "context.draftOrders"),
        (
            {"draftOrders": {"resourceType": "Bundle", "entry": {}}},
            "context.draftOrders.entry",
        ),
    ],
)
def test_a_malformed_order_context_names_the_field(broken: dict, field: str) -> None:
    data = {**context(service_request("sr-1", text="Massage")), **broken}
    with pytest.raises(InputError) as caught:
        selected_orders(data)
    assert caught.value.problems[0].field == field
