"""Where on the back a plan works: bands of the back beside spans of vertebrae.

An ``Area`` is one band (the paraspinal muscles, the midline, ...) between two
vertebrae; zones to avoid are areas too, so "no step targets a zone to avoid" is a
plain overlap test. The words for an area, in any language, are in
``spinewise.models.plan_wording``; ``Area.label`` is the English one.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator

from spinewise.errors import N_
from spinewise.models.assessment import vertebrae

_ORDER = {name: index for index, name in enumerate(vertebrae())}


class Band(StrEnum):
    """A strip of the back (posterior view) running beside a span of vertebrae."""

    MIDLINE = "midline"
    PARASPINAL = "paraspinal"
    SHOULDER = "shoulder"
    NECK_ANTEROLATERAL = "neck_anterolateral"
    RIBS = "ribs"
    PELVIC_RIM = "pelvic_rim"
    GLUTEAL = "gluteal"
    POSTERIOR_THIGH = "posterior_thigh"
    ARM = "arm"


BAND_LABELS: dict[Band, str] = {
    Band.MIDLINE: "spinous processes (midline)",
    Band.PARASPINAL: "paraspinal muscles",
    Band.SHOULDER: "upper trapezius",
    Band.NECK_ANTEROLATERAL: "front and sides of the neck",
    Band.RIBS: "ribs and costovertebral joints",
    Band.PELVIC_RIM: "pelvic rim (iliac crest)",
    Band.GLUTEAL: "gluteal muscles (buttock)",
    Band.POSTERIOR_THIGH: "back of the thigh",
    Band.ARM: "arm",
}
"""Each band's English name (``plan_wording.band_label`` gives it in a language)."""

BAND_SPANS: dict[Band, tuple[str, str]] = {
    Band.MIDLINE: ("C1", "S5"),
    Band.PARASPINAL: ("C1", "S3"),
    Band.SHOULDER: ("C4", "T3"),
    Band.NECK_ANTEROLATERAL: ("C1", "C7"),
    Band.RIBS: ("T1", "T12"),
    Band.PELVIC_RIM: ("L4", "S1"),
    Band.GLUTEAL: ("S1", "S5"),
    Band.POSTERIOR_THIGH: ("S5", "S5"),
    Band.ARM: ("C5", "T1"),
}
"""The vertebrae each band lies beside (anatomy for overlap tests and the chart)."""


def vertebra_index(name: str) -> int:
    """Position of a vertebra from C1 (0) to S5 (28)."""
    return _ORDER[name]


class Area(BaseModel):
    """One band of the back between two vertebrae (both inclusive, both sides)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    band: Band
    top: str
    bottom: str

    @model_validator(mode="after")
    def _span_in_order(self) -> Area:
        for end in (self.top, self.bottom):
            if end not in _ORDER:
                raise ValueError(
                    N_("{end!r} is not a vertebra; allowed: C1..S5", end=end)
                )
        if _ORDER[self.top] > _ORDER[self.bottom]:
            raise ValueError(
                N_(
                    "top {top} is below bottom {bottom}",
                    top=self.top,
                    bottom=self.bottom,
                )
            )
        return self

    @property
    def span(self) -> tuple[int, int]:
        return _ORDER[self.top], _ORDER[self.bottom]

    @property
    def nominal(self) -> bool:
        """Whether the area is its band's whole span (named without vertebrae, but
        for the paraspinal muscles, whose span is always said)."""
        whole = BAND_SPANS[self.band] == (self.top, self.bottom)
        return whole and self.band is not Band.PARASPINAL

    def overlaps(self, other: Area) -> bool:
        (a, b), (c, d) = self.span, other.span
        return self.band is other.band and a <= d and c <= b

    @property
    def label(self) -> str:
        """The area in English, e.g. "paraspinal muscles L3-S1" (as stored plans
        and the JSON API have it; ``plan_wording.area_label`` for a language)."""
        where = self.top if self.top == self.bottom else f"{self.top}-{self.bottom}"
        if self.nominal:
            return BAND_LABELS[self.band]
        return f"{BAND_LABELS[self.band]} {where}"
