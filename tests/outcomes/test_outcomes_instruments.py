"""Instrument table, codes, licensed item texts and the package surface (docs/clinical-basis.md#outcome-instruments)."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import spinewise.outcomes as outcomes
from spinewise.models.outcome import Instrument
from spinewise.outcomes import (
    INSTRUMENTS,
    PLACEHOLDER,
    placeholder_item_texts,
)


def test_every_instrument_has_a_definition() -> None:
    assert set(INSTRUMENTS) == set(Instrument)
    counts = {i.value: d.item_count for i, d in INSTRUMENTS.items()}
    assert counts == {"nrs": 1, "odi": 10, "rmdq": 24, "ndi": 10, "startback": 9}


def test_only_the_pain_nrs_has_a_confirmed_loinc_code() -> None:
    nrs = INSTRUMENTS[Instrument.NRS].coding
    assert (nrs.system, nrs.code, nrs.confirmed) == (
        "http://loinc.org",
        "72514-3",
        True,
    )
    for instrument in (i for i in Instrument if i is not Instrument.NRS):
        coding = INSTRUMENTS[instrument].coding
        assert coding.system == "urn:spinewise:instrument"
        assert not coding.confirmed


def test_mic_values_follow_the_clinical_table() -> None:
    mics = {i.value: d.mic_absolute for i, d in INSTRUMENTS.items()}
    assert mics == {
        "nrs": Decimal(2),
        "odi": Decimal(10),
        "rmdq": Decimal(5),
        "ndi": Decimal("7.5"),
        "startback": None,
    }
    assert INSTRUMENTS[Instrument.ODI].mic_relative == Decimal("0.30")


def test_the_instrument_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        INSTRUMENTS[Instrument.NRS] = INSTRUMENTS[Instrument.ODI]  # type: ignore[index]


def test_placeholder_texts_are_marked_and_one_per_item() -> None:
    texts = placeholder_item_texts(Instrument.ODI)
    assert len(texts) == 10
    assert all(text.endswith(PLACEHOLDER) for text in texts)
    assert PLACEHOLDER == "[placeholder — licensed text supplied by the clinic]"
    assert "item 3" in texts[2]


def test_exported_names_are_sorted_and_resolve() -> None:
    names = outcomes.__all__

    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert names == sorted(names, key=kind)
    assert len(set(names)) == len(names)
    assert all(hasattr(outcomes, name) for name in names)


def test_the_outcomes_core_imports_no_adapter() -> None:
    forbidden = ("sqlalchemy", "fastapi", "starlette", "typer", "httpx")
    code = (
        "import sys, spinewise.outcomes, spinewise.models.outcome\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {forbidden!r}"
        " or m == 'spinewise.config']\n"
        "print(','.join(bad))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == ""
