"""The words a printed report shows for the models' codes, in the reader's language.

Codes (statuses, regions, modalities, verdicts) stay codes in data; a report prints
their labels. Each label is a gettext message with a context, so a code's label is
translated once (``pgettext("modality", "classical")``).
"""

from __future__ import annotations

from spinewise.i18n import Translator
from spinewise.models import Modality, Region, Side, Verdict


def status_words(tr: Translator) -> dict[str, str]:
    """A modality's status (and ``-`` for none) as a clinician reads it."""
    return {
        "allowed": tr.pgettext("status", "allowed"),
        "with_precautions": tr.pgettext("status", "with precautions"),
        "contraindicated": tr.pgettext("status", "contraindicated"),
        "undetermined": tr.pgettext("status", "undetermined"),
        "-": "-",
    }


def modality_word(modality: Modality | str, tr: Translator) -> str:
    """A modality's name (classical, vacuum, hydromassage)."""
    value = Modality(modality)
    return {
        Modality.CLASSICAL: tr.pgettext("modality", "classical"),
        Modality.VACUUM: tr.pgettext("modality", "vacuum"),
        Modality.HYDROMASSAGE: tr.pgettext("modality", "hydromassage"),
    }[value]


def region_word(region: Region, tr: Translator) -> str:
    return {
        Region.CERVICAL: tr.pgettext("region", "cervical"),
        Region.THORACIC: tr.pgettext("region", "thoracic"),
        Region.LUMBAR: tr.pgettext("region", "lumbar"),
    }[region]


def side_word(side: Side, tr: Translator) -> str:
    return {
        Side.LEFT: tr.pgettext("side", "left"),
        Side.RIGHT: tr.pgettext("side", "right"),
        Side.CENTRAL: tr.pgettext("side", "central"),
        Side.BILATERAL: tr.pgettext("side", "bilateral"),
        Side.UNKNOWN: tr.pgettext("side", "unknown"),
    }[side]


def verdict_word(verdict: Verdict, tr: Translator) -> str:
    """The decision's verdict as a statement for the clinician (the glossary's)."""
    return {
        Verdict.PROCEED: tr.gettext("Proceed: massage may be given as planned"),
        Verdict.AWAITING_CLEARANCE: tr.gettext(
            "Awaiting the attending physician's clearance"
        ),
        Verdict.INCOMPLETE: tr.gettext("Incomplete: answers are missing"),
        Verdict.NOT_NOW: tr.gettext("Not now: temporarily contraindicated"),
        Verdict.NOT_SUITABLE: tr.gettext("Not suitable: massage is contraindicated"),
        Verdict.DECLINED_BY_PHYSICIAN: tr.gettext(
            "Declined by the attending physician"
        ),
        Verdict.URGENT_REFERRAL: tr.gettext("Urgent referral to a physician"),
    }[verdict]


def band_word(label: str, tr: Translator) -> str:
    """A score band's neutral label (ODI, NDI); an unknown label as it is."""
    return {
        "none": tr.pgettext("band", "none"),
        "minimal": tr.pgettext("band", "minimal"),
        "mild": tr.pgettext("band", "mild"),
        "moderate": tr.pgettext("band", "moderate"),
        "severe": tr.pgettext("band", "severe"),
        "very severe": tr.pgettext("band", "very severe"),
        "bed-bound": tr.pgettext("band", "bed-bound"),
        "complete": tr.pgettext("band", "complete"),
    }.get(label, label)
