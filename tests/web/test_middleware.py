"""The edge layer's per-part body timeout (``receive_within``): a stalled part is a
``BodyTimeoutError``; a cancellation from elsewhere stays a cancellation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from tests.web.loops import run_in_own_loop

from spinewise.web.errors import BodyTimeoutError
from spinewise.web.middleware import receive_within


async def _stalled() -> dict[str, Any]:
    await asyncio.sleep(3600)
    return {}


async def _ready() -> dict[str, Any]:
    return {"type": "http.request", "body": b"{}", "more_body": False}


def test_a_part_that_comes_in_time_is_passed_on() -> None:
    message = run_in_own_loop(receive_within(_ready, 1.0))
    assert message["body"] == b"{}"


def test_a_stalled_part_is_a_body_timeout() -> None:
    with pytest.raises(BodyTimeoutError):
        run_in_own_loop(receive_within(_stalled, 0.05))


def test_a_cancellation_from_elsewhere_is_not_taken_for_a_timeout() -> None:
    async def cancelled_while_waiting() -> None:
        waiting = asyncio.ensure_future(receive_within(_stalled, 60.0))
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting

    run_in_own_loop(cancelled_while_waiting())
