"""The outcome instruments as data (docs/clinical-basis.md#outcome-instruments).

Only the scoring is shipped: item count, value ranges, minimum answered, scale, bands
(inclusive upper bounds), minimal important change (MIC) and codes. The item texts of
the ODI, RMDQ, STarT Back and NDI are copyrighted: Spinewise ships placeholders
and checks the licensed texts that the clinic imports (``outcomes.texts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from spinewise.models.outcome import Instrument

PLACEHOLDER = "[placeholder — licensed text supplied by the clinic]"
LOINC = "http://loinc.org"
LOCAL_SYSTEM = "urn:spinewise:instrument"
THIRTY_PERCENT = Decimal("0.30")


@dataclass(frozen=True, slots=True)
class Band:
    """A score band; ``upper`` is inclusive, anything above it is the next band.

    ``label`` is what a clinician and a patient read; ``official`` keeps the
    instrument's own name where that name is stigmatising (for a report footnote).
    """

    upper: Decimal
    label: str
    official: str | None = None


@dataclass(frozen=True, slots=True)
class Coding:
    """A code for export; ``confirmed`` is false for local placeholder codes."""

    system: str
    code: str
    display: str
    confirmed: bool


@dataclass(frozen=True, slots=True)
class InstrumentDefinition:
    """How one instrument is scored; every item takes whole values 0..its maximum."""

    instrument: Instrument
    name: str
    item_maxima: tuple[int, ...]
    min_answered: int
    scale_max: Decimal
    mic_absolute: Decimal | None
    mic_relative: Decimal | None
    bands: tuple[Band, ...]
    coding: Coding
    scoring_sources: tuple[str, ...]
    mic_sources: tuple[str, ...]

    @property
    def item_count(self) -> int:
        return len(self.item_maxima)

    def band_for(self, score: Decimal) -> str | None:
        """The first band whose inclusive upper bound holds ``score`` (None: no bands)."""
        for band in self.bands:
            if score <= band.upper:
                return band.label
        return None

    def official_band_name(self, label: str) -> str | None:
        """The instrument's own name for a neutrally labelled band (None: the same)."""
        return next((b.official for b in self.bands if b.label == label), None)


def _bands(*pairs: tuple[str, ...]) -> tuple[Band, ...]:
    return tuple(
        Band(Decimal(upper), label, *official) for upper, label, *official in pairs
    )


def _local(code: str, display: str) -> Coding:
    # LOINC codes for these instruments were not confirmed (docs/clinical-basis.md#review-list): export them under
    # the local system until the clinic's LOINC release supplies them through the KB.
    return Coding(LOCAL_SYSTEM, code, display, confirmed=False)


_DEFINITIONS = (
    InstrumentDefinition(
        instrument=Instrument.NRS,
        name="Pain numeric rating scale (0-10)",
        item_maxima=(10,),
        min_answered=1,
        scale_max=Decimal(10),
        mic_absolute=Decimal(2),
        mic_relative=THIRTY_PERCENT,
        bands=(),
        coding=Coding(
            LOINC,
            "72514-3",
            "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
            confirmed=True,
        ),
        scoring_sources=("LOINC",),
        mic_sources=("OSTELO-2008",),
    ),
    InstrumentDefinition(
        instrument=Instrument.ODI,
        name="Oswestry Disability Index 2.1a",
        item_maxima=(5,) * 10,
        min_answered=8,  # 8 of 10: a Spinewise convention (unconfirmed)
        scale_max=Decimal(100),
        mic_absolute=Decimal(10),
        mic_relative=THIRTY_PERCENT,
        bands=_bands(
            ("20", "minimal"),
            ("40", "moderate"),
            ("60", "severe"),
            # Fairbank 2000 names these "crippled" and "bed-bound or exaggerating":
            # shown with neutral labels, the official names kept for footnotes.
            ("80", "very severe", "crippled"),
            ("100", "bed-bound", "bed-bound or exaggerating"),
        ),
        coding=_local("odi", "Oswestry Disability Index 2.1a [%]"),
        scoring_sources=("FAIRBANK-2000", "SPINEWISE-OP"),
        mic_sources=("OSTELO-2008",),
    ),
    InstrumentDefinition(
        instrument=Instrument.RMDQ,
        name="Roland-Morris Disability Questionnaire (RMDQ-24)",
        item_maxima=(1,) * 24,
        min_answered=24,  # complete questionnaires only (unconfirmed convention)
        scale_max=Decimal(24),
        mic_absolute=Decimal(5),
        mic_relative=THIRTY_PERCENT,
        bands=(),
        coding=_local("rmdq", "Roland-Morris Disability Questionnaire [0-24]"),
        scoring_sources=("ROLAND-1983", "SPINEWISE-OP"),
        mic_sources=("OSTELO-2008",),
    ),
    InstrumentDefinition(
        instrument=Instrument.NDI,
        name="Neck Disability Index",
        item_maxima=(5,) * 10,
        min_answered=8,  # as for the ODI (unconfirmed convention)
        scale_max=Decimal(50),
        # 7.5 points of 50 is unconfirmed (published values about 5-10); the 30 %
        # branch is the general rule (docs/clinical-basis.md#mic) applied to the NDI too.
        mic_absolute=Decimal("7.5"),
        mic_relative=THIRTY_PERCENT,
        bands=_bands(  # of 50 (unconfirmed)
            ("4", "none"),
            ("14", "mild"),
            ("24", "moderate"),
            ("34", "severe"),
            ("50", "complete"),
        ),
        coding=_local("ndi", "Neck Disability Index [0-50]"),
        scoring_sources=("VERNON-1991", "SPINEWISE-OP"),
        mic_sources=("SPINEWISE-OP",),
    ),
    InstrumentDefinition(
        instrument=Instrument.STARTBACK,
        name="Keele STarT Back Screening Tool",
        item_maxima=(1,) * 8 + (4,),  # item 9: option index 0-4
        min_answered=9,
        scale_max=Decimal(9),
        mic_absolute=None,  # no change classification: the group is reported
        mic_relative=None,
        bands=(),
        coding=_local("startback", "Keele STarT Back Screening Tool [0-9]"),
        scoring_sources=("HILL-2008",),
        mic_sources=(),
    ),
)

INSTRUMENTS: Mapping[Instrument, InstrumentDefinition] = MappingProxyType(
    {definition.instrument: definition for definition in _DEFINITIONS}
)
"""Every instrument's definition, keyed by ``Instrument``."""


def placeholder_item_texts(instrument: Instrument) -> tuple[str, ...]:
    """Stand-in item texts, clearly marked, for the staff's paper-entry form only
    (a patient never sees them: a link needs a text pack)."""
    definition = INSTRUMENTS[instrument]
    return tuple(
        f"{definition.name}, item {n} {PLACEHOLDER}"
        for n in range(1, definition.item_count + 1)
    )
