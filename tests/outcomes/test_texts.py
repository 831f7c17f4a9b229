"""Text packs: checked against the scoring (item count, options per item, option
order), every problem named; the NRS wording ships, the licensed ones do not."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinewise.models.outcome import Instrument
from spinewise.outcomes import (
    BUILT_IN,
    INSTRUMENTS,
    InvalidItemTextsError,
    load_item_texts,
)

PACKS = Path(__file__).resolve().parents[1] / "data" / "text-packs"


def fake(instrument: str) -> dict[str, Any]:
    data = yaml.safe_load((PACKS / f"fake-{instrument}-en.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def problems_of(data: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidItemTextsError) as caught:
        load_item_texts(data)
    return caught.value.problems


@pytest.mark.parametrize("instrument", ["odi", "rmdq", "ndi", "startback"])
def test_the_fake_test_packs_fit_their_instruments(instrument: str) -> None:
    pack = load_item_texts(fake(instrument))
    definition = INSTRUMENTS[Instrument(instrument)]
    assert len(pack.items) == definition.item_count
    assert [len(i.options) - 1 for i in pack.items] == list(definition.item_maxima)
    assert all("FAKE" in item.text for item in pack.items)


def test_a_pack_reloads_from_its_own_data() -> None:
    pack = load_item_texts(fake("startback"))
    assert load_item_texts(pack.as_data()) == pack


def test_only_the_nrs_wording_ships_in_english_and_russian() -> None:
    assert set(BUILT_IN) == {(Instrument.NRS, "en"), (Instrument.NRS, "ru")}
    for pack in BUILT_IN.values():
        assert load_item_texts(pack.as_data()) == pack
        assert len(pack.items[0].options) == 11


def test_a_missing_item_is_refused_naming_the_count() -> None:
    data = fake("odi")
    data["items"].pop()
    assert problems_of(data) == [
        ("items", "Oswestry Disability Index 2.1a has 10 items; got 9")
    ]


def test_an_item_with_too_few_options_is_refused_naming_it() -> None:
    data = fake("ndi")
    data["items"][3]["options"].pop()
    assert problems_of(data) == [
        ("items[3].options", "expected 6 options scored 0..5; got 5")
    ]


def test_options_out_of_scoring_order_are_refused() -> None:
    data = fake("rmdq")
    options = data["items"][0]["options"]
    options.reverse()
    fields = [field for field, _ in problems_of(data)]
    assert fields == ["items[0].options[0].value", "items[0].options[1].value"]


def test_every_problem_is_named_not_only_the_first() -> None:
    data = copy.deepcopy(fake("startback"))
    data["language"] = "English!"
    data["items"][8]["options"][2]["text"] = " "
    data["colour"] = "blue"
    assert [field for field, _ in problems_of(data)] == [
        "colour",
        "language",
        "items[8].options[2].text",
    ]


def test_an_unknown_instrument_and_a_non_mapping_are_refused() -> None:
    assert problems_of({**fake("odi"), "instrument": "sf36"})[0][0] == "instrument"
    assert problems_of(["not", "a", "pack"])[0][0] == "(file)"
    assert problems_of({**fake("odi"), "items": "text"})[0][0] == "items"
