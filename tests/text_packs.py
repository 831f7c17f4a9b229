"""The clearly fake text packs of ``tests/data/text-packs`` (never licensed wording)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from spinewise import services
from spinewise.services.access.actors import Actor
from spinewise.store import Store

PACKS = Path(__file__).resolve().parent / "data" / "text-packs"
LICENSED = ("odi", "rmdq", "ndi", "startback")


def fake_pack(instrument: str) -> dict[str, Any]:
    data = yaml.safe_load((PACKS / f"fake-{instrument}-en.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def import_fake_texts(
    store: Store, admin: Actor, instruments: tuple[str, ...] = LICENSED
) -> None:
    """The clinic of ``admin`` gets the fake English texts of ``instruments``."""
    for instrument in instruments:
        services.import_text_pack(store, admin, fake_pack(instrument))
