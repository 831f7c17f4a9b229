"""The physician's clearance as a ServiceRequest (the ask) and a Task (the answer).

The ServiceRequest asks the attending physician to clear the patient for massage; it
is ``active`` while the clearance is pending and ``completed`` once the physician has
decided, whichever way. The Task carries the decision: ``requested`` while pending,
``completed`` once decided, with ``businessStatus`` approved / declined / pending and
outputs for the decision date, the validity date and each excluded modality. A
declined clearance is a completed task with a ``declined`` business status (the
physician did the work), not a ``rejected`` task (which would mean the physician
refused to look). ``clearance_of`` reads a Task back into a contract ``Clearance``.
"""

from __future__ import annotations

import datetime as dt

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task, TaskOutput

from spinewise.errors import FieldProblem, InputError
from spinewise.interop import codes
from spinewise.interop.codes import concept, local, resource_id, urn
from spinewise.interop.fhir.patient import PatientInfo, patient_reference
from spinewise.models import Clearance, ClearanceStatus, parse_model

CLEARANCE_SERVICE = local(
    codes.SERVICE, "massage-clearance", "Physician clearance for massage therapy"
)
_OUT_DATE = local(codes.SERVICE, "clearance-date", "Date of the physician's decision")
_OUT_UNTIL = local(codes.SERVICE, "valid-until", "Clearance valid until")
_OUT_EXCLUDED = local(codes.SERVICE, "excluded-modality", "Modality excluded")
CLEARANCE_CODES = (CLEARANCE_SERVICE, _OUT_DATE, _OUT_UNTIL, _OUT_EXCLUDED)


def _physician(clearance: Clearance) -> Reference | None:
    return Reference(display=clearance.physician) if clearance.physician else None


def _outputs(clearance: Clearance) -> list[TaskOutput]:
    outputs = []
    if clearance.date is not None:
        outputs.append(TaskOutput(type=concept(_OUT_DATE), valueDate=clearance.date))
    if clearance.valid_until is not None:
        outputs.append(
            TaskOutput(type=concept(_OUT_UNTIL), valueDate=clearance.valid_until)
        )
    outputs += [
        TaskOutput(type=concept(_OUT_EXCLUDED), valueCode=m.value)
        for m in clearance.excluded_modalities
    ]
    return outputs


def clearance_resources(
    info: PatientInfo,
    clearance: Clearance,
    key: str,
    requested_on: dt.date | None = None,
    reasons: list[Reference] | None = None,
    supporting: list[Reference] | None = None,
) -> tuple[ServiceRequest, Task]:
    """The clearance ``key`` of a patient as a ServiceRequest/Task pair.

    ``reasons`` (the Condition) become the request's ``reasonReference``,
    ``supporting`` (the GuidanceResponse, which R4 does not allow as a reason) its
    ``supportingInfo``.
    """
    pending = clearance.status is ClearanceStatus.PENDING
    request_id = resource_id("ServiceRequest", info.key, key)
    request = ServiceRequest(
        id=request_id,
        status="active" if pending else "completed",
        intent="order",
        code=concept(CLEARANCE_SERVICE),
        subject=patient_reference(info),
        authoredOn=requested_on,
        performer=[p] if (p := _physician(clearance)) else None,
        reasonReference=reasons or None,
        supportingInfo=supporting or None,
    )
    task = Task(
        id=resource_id("Task", info.key, key),
        status="requested" if pending else "completed",
        businessStatus=concept(local(codes.CLEARANCE_STATUS, clearance.status.value)),
        intent="order",
        code=concept(CLEARANCE_SERVICE),
        focus=Reference(reference=urn(request_id)),
        for_fhir=patient_reference(info),
        authoredOn=requested_on,
        owner=_physician(clearance),
        output=_outputs(clearance) or None,
    )
    return request, task


def _code_in(concept_: CodeableConcept | None, system: str) -> str | None:
    for c in (concept_.coding or []) if concept_ else []:
        if codes.local_name(c.system) == system and c.code:
            return str(c.code)
    return None


def clearance_of(task: Task) -> Clearance:
    """Read a clearance Task back; an InputError names the Task element at fault."""
    status = _code_in(task.businessStatus, codes.CLEARANCE_STATUS)
    if status is None:
        raise InputError(
            [
                FieldProblem(
                    "Task.businessStatus",
                    f"expected a code of {codes.CLEARANCE_STATUS}: "
                    + ", ".join(s.value for s in ClearanceStatus),
                )
            ]
        )
    data: dict[str, object] = {
        "status": status,
        "physician": task.owner.display if task.owner else None,
    }
    excluded: list[object] = []
    for output in task.output or []:
        kind = _code_in(output.type, codes.SERVICE)
        if kind == _OUT_DATE.code:
            data["date"] = output.valueDate
        elif kind == _OUT_UNTIL.code:
            data["valid_until"] = output.valueDate
        elif kind == _OUT_EXCLUDED.code:
            excluded.append(output.valueCode)
    data["excluded_modalities"] = excluded
    return parse_model(Clearance, data)
