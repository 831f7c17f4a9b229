"""The CDS Hooks endpoints' error answers: always JSON, a FHIR ``OperationOutcome``.

Used by the CDS routes (``web.cds``) and by the app's error handlers for whatever goes
wrong before a CDS route runs (an unknown path under ``/cds-services`` is 404, a wrong
method 405, a body over the limit 413, a request the app cannot read 422): the EHR
then gets the same shape as for a refusal of the service itself, never the web app's
HTML error page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from starlette.responses import Response

from spinewise.errors import FieldProblem

PREFIX = "/cds-services"
JSON = "application/json"
# the issue type (http://hl7.org/fhir/issue-type) of each HTTP status
ISSUE_CODES = {
    400: "invalid",
    401: "security",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    412: "processing",
    413: "too-costly",
    422: "invalid",
    429: "throttled",
    503: "transient",
}
# what a 401 says: why the token failed is logged, never told (no oracle for forgers)
UNAUTHORIZED = "a valid CDS Hooks JWT is required (Authorization: Bearer <JWT>)"


def is_cds_path(path: str) -> bool:
    """Whether ``path`` is one of the CDS Hooks endpoints' (discovery included)."""
    return path == PREFIX or path.startswith(PREFIX + "/")


def outcome(
    status: int,
    code: str,
    problems: Sequence[FieldProblem],
    headers: Mapping[str, str] | None = None,
) -> Response:
    """An error answer: a FHIR ``OperationOutcome``, one issue per problem."""
    issues = []
    for p in problems:
        issue: dict[str, Any] = {
            "severity": "error",
            "code": code,
            "details": {"text": p.message},
            "diagnostics": f"{p.field}: {p.message}" if p.field else p.message,
        }
        if p.field:
            issue["expression"] = [p.field]
        issues.append(issue)
    body = {"resourceType": "OperationOutcome", "issue": issues}
    return Response(orjson.dumps(body), status, dict(headers or {}), media_type=JSON)


def cds_error(
    status: int,
    message: str,
    problems: Sequence[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The OperationOutcome for an error the app's handlers met on a CDS path."""
    code = ISSUE_CODES.get(status, "exception")
    if status == 401:
        problems, headers = [], {**(headers or {}), "WWW-Authenticate": "Bearer"}
        message = UNAUTHORIZED
    return outcome(status, code, list(problems) or [FieldProblem("", message)], headers)
