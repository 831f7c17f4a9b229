"""What the CDS service needs from the settings, and the clinic it works for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from spinewise.config import Settings
from spinewise.errors import SpinewiseError
from spinewise.interop.cds.rules import DEFAULT_SKEW
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.services.cds.pages import FetchLimits
from spinewise.store import Store


class CdsNotConfiguredError(SpinewiseError):
    """The CDS service lacks a setting it needs; the message names it."""


@dataclass(frozen=True)
class CdsConfig:
    """What the CDS service needs from the settings."""

    base_url: str
    trusted_issuers: Mapping[str, str]
    clinic: str | None
    require_https: bool = False
    max_assessment_age_days: int = 14
    order_codes: tuple[str, ...] = ()
    clock_skew: dt.timedelta = DEFAULT_SKEW
    fetch_limits: FetchLimits = field(default_factory=FetchLimits)

    @classmethod
    def of(cls, settings: Settings) -> CdsConfig:
        return cls(
            base_url=settings.public_url.rstrip("/"),
            trusted_issuers=dict(settings.cds_trusted_issuers),
            clinic=settings.cds_clinic,
            require_https=settings.mode == "production",
            max_assessment_age_days=settings.cds_max_assessment_age_days,
            order_codes=tuple(settings.cds_order_codes),
            clock_skew=dt.timedelta(seconds=settings.cds_clock_skew_seconds),
            fetch_limits=FetchLimits.of(settings),
        )

    def extra_order_codes(
        self, kb: KnowledgeBase
    ) -> dict[tuple[str, str], tuple[Modality, ...]]:
        """The KB's confirmed massage order codes and the configured ones."""
        found: dict[tuple[str, str], tuple[Modality, ...]] = {}
        for entry in kb.ehr_codes.usable_orders():
            for uri in entry.uris:
                found[(uri, entry.code)] = tuple(entry.modalities)
        for pair in self.order_codes:
            system, _, code = pair.partition("|")
            found[(system, code)] = ()
        return found


def clinic_id_of(store: Store, name: str | None) -> int:
    """The id of the CDS service's clinic (``CdsNotConfiguredError`` when unset)."""
    if not name:
        raise CdsNotConfiguredError(
            "set SPINEWISE_CDS_CLINIC to the clinic the CDS service works for"
        )
    with store.unit_of_work() as uow:
        row = uow.clinics.by_name(name)
    if row is None:
        raise CdsNotConfiguredError(f"SPINEWISE_CDS_CLINIC: no clinic {name!r}")
    return row.id
