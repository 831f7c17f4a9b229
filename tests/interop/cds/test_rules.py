"""The CDS Hooks 2.0 rules the request shapes do not enforce: the JWT header and
times, and the feedback an ``accepted`` outcome needs."""

from __future__ import annotations

import datetime as dt

import pytest

from spinewise.interop import FeedbackRequest
from spinewise.interop.cds.rules import (
    CdsAuthError,
    UnprocessableFeedbackError,
    check_feedback,
    check_header,
    check_jku,
    check_times,
)

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
SKEW = dt.timedelta(seconds=60)
JWKS = "https://ehr.example.test/.well-known/jwks.json"


def at(seconds: float) -> int:
    return int((NOW + dt.timedelta(seconds=seconds)).timestamp())


def test_the_header_needs_a_kid_and_an_asymmetric_alg() -> None:
    assert check_header({"alg": "RS384", "kid": "k1"}) == "k1"
    for header in (
        {"alg": "RS384"},
        {"alg": "RS384", "kid": ""},
        {"alg": "HS256", "kid": "k"},
    ):
        with pytest.raises(CdsAuthError):
            check_header(header)


def test_a_jku_must_be_on_the_configured_host() -> None:
    assert check_jku(None, JWKS) is None
    same_host = "https://ehr.example.test/keys/2026.json"
    assert check_jku(same_host, JWKS) == same_host
    for jku in (
        "http://ehr.example.test/keys.json",  # another scheme
        "https://ehr.example.test:8443/keys.json",  # another port
        "https://ehr.example.test.evil.example/keys.json",
        "https://attacker.example/jwks.json",
        17,
    ):
        with pytest.raises(CdsAuthError, match="configured host"):
            check_jku(jku, JWKS)


@pytest.mark.parametrize(
    ("iat", "exp", "error"),
    [
        (0, 300, None),
        (50, 300, None),  # the client's clock a little ahead
        (-290, -50, None),  # just expired, within the skew
        (-290, -70, "expired"),
        (70, 300, "future"),
        (-400, 10, "five minutes ago"),
        (0, 400, "lifetime"),
    ],
)
def test_times_are_read_against_the_service_clock_with_the_skew(
    iat: int, exp: int, error: str | None
) -> None:
    claims = {"iat": at(iat), "exp": at(exp)}
    if error is None:
        assert check_times(claims, NOW, SKEW) == dt.datetime.fromtimestamp(
            claims["exp"], tz=dt.UTC
        )
    else:
        with pytest.raises(CdsAuthError, match=error):
            check_times(claims, NOW, SKEW)


def test_times_must_be_numbers() -> None:
    with pytest.raises(CdsAuthError, match="iat must be a number"):
        check_times({"exp": at(60), "iat": "now"}, NOW, SKEW)


def test_accepted_feedback_needs_accepted_suggestions_with_ids() -> None:
    def request(**item: object) -> FeedbackRequest:
        base = {
            "card": "c",
            "outcome": "accepted",
            "outcomeTimestamp": "2026-12-04T12:00:00Z",
        }
        return FeedbackRequest.model_validate({"feedback": [{**base, **item}]})

    check_feedback(request(acceptedSuggestions=[{"id": "s-1"}]))
    check_feedback(request(outcome="overridden"))
    with pytest.raises(UnprocessableFeedbackError) as caught:
        check_feedback(request())
    assert caught.value.problems[0].field == "feedback[0].acceptedSuggestions"
    with pytest.raises(UnprocessableFeedbackError) as caught:
        check_feedback(request(acceptedSuggestions=[{"label": "x"}]))
    assert caught.value.problems[0].field == "feedback[0].acceptedSuggestions[0].id"
