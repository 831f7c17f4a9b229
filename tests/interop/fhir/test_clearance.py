"""The physician's clearance as a ServiceRequest/Task pair, and back."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir.resources.R4B.reference import Reference
from tests.interop.fhir_support import INFO, reparsed

from spinewise.errors import InputError
from spinewise.interop import clearance_of, clearance_resources
from spinewise.interop.codes import CLEARANCE_STATUS
from spinewise.models import Clearance, ClearanceStatus, Modality

APPROVED = Clearance(
    status=ClearanceStatus.APPROVED,
    physician="Dr. A. Petrova",
    date=dt.date(2026, 11, 20),
    valid_until=dt.date(2026, 12, 20),
    excluded_modalities=[Modality.VACUUM],
)


def test_an_approved_clearance_is_a_completed_request_and_task() -> None:
    request, task = clearance_resources(
        INFO, APPROVED, "c-1", dt.date(2026, 11, 18), [Reference(reference="urn:x")]
    )
    request, task = reparsed(request), reparsed(task)
    assert request.status == "completed"
    assert request.intent == "order"
    assert request.performer[0].display == "Dr. A. Petrova"
    assert request.reasonReference[0].reference == "urn:x"
    assert task.status == "completed"
    assert task.focus.reference == f"urn:uuid:{request.id}"
    assert task.for_fhir.reference == request.subject.reference
    coding = task.businessStatus.coding[0]
    assert (coding.system, coding.code) == (CLEARANCE_STATUS, "approved")


def test_a_pending_clearance_is_an_active_request_and_a_requested_task() -> None:
    pending = Clearance(status=ClearanceStatus.PENDING)
    request, task = clearance_resources(INFO, pending, "c-1")
    assert (request.status, task.status) == ("active", "requested")
    assert task.output is None


def test_a_declined_clearance_is_completed_work_with_a_declined_status() -> None:
    declined = Clearance(status=ClearanceStatus.DECLINED, date=dt.date(2026, 11, 20))
    _, task = clearance_resources(INFO, declined, "c-1")
    assert task.status == "completed"
    assert task.businessStatus.coding[0].code == "declined"


@pytest.mark.parametrize(
    "clearance",
    [APPROVED, Clearance(status=ClearanceStatus.PENDING)],
    ids=["approved", "pending"],
)
def test_a_clearance_round_trips_through_its_task(clearance: Clearance) -> None:
    _, task = clearance_resources(INFO, clearance, "c-1")
    assert clearance_of(reparsed(task)) == clearance


def test_a_task_without_a_clearance_status_is_refused_naming_business_status() -> None:
    _, task = clearance_resources(INFO, APPROVED, "c-1")
    bare = task.model_copy(update={"businessStatus": None})
    with pytest.raises(InputError) as caught:
        clearance_of(bare)
    assert caught.value.problems[0].field == "Task.businessStatus"
