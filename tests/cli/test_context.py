"""One run of ``spinewise`` reads its settings once and hands the same object down."""

from __future__ import annotations

import pytest

from spinewise.cli.context import current_settings, start_run


def test_settings_are_read_once_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    start_run()
    monkeypatch.setenv("SPINEWISE_PORT", "8123")
    first = current_settings()
    monkeypatch.setenv("SPINEWISE_PORT", "9000")
    assert current_settings() is first
    assert first.port == 8123
    start_run()
    assert current_settings().port == 9000
