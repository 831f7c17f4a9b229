"""The clinic the CDS service works for (``settings.cds_clinic``)."""

from __future__ import annotations

from spinewise.errors import SpinewiseError
from spinewise.store import Store


class CdsNotConfiguredError(SpinewiseError):
    """The CDS service lacks a setting it needs; the message names it."""


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
