"""Repository of due questionnaires: the dated items of a plan's schedule.

Items are inserted once (unique per plan, instrument and milestone, so two runs that
schedule the same plan add each item once); ``attach_link`` is a conditional
update, so of two concurrent runs only one issues a link for an item.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinewise.store.courses_tables import CoursePlanRow
from spinewise.store.outreach_tables import DueItemRow

SCHEDULED_STATUSES = ("active", "completed")


class DueItems:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_missing(self, items: list[dict[str, Any]]) -> int:
        """Insert the items not there yet; the number inserted."""
        added = 0
        for values in items:
            found = self._session.scalar(
                select(DueItemRow.id).where(
                    DueItemRow.plan_id == values["plan_id"],
                    DueItemRow.instrument == values["instrument"],
                    DueItemRow.milestone == values["milestone"],
                )
            )
            if found is not None:
                continue
            try:
                with self._session.begin_nested():
                    self._session.add(DueItemRow(**values))
                    self._session.flush()
            except IntegrityError:
                continue  # a concurrent run added it first
            added += 1
        return added

    def get(self, clinic_id: int, item_id: int) -> DueItemRow | None:
        return self._session.scalar(
            select(DueItemRow).where(
                DueItemRow.id == item_id, DueItemRow.clinic_id == clinic_id
            )
        )

    def open_items(
        self, clinic_id: int | None, until: dt.date, patient_id: int | None = None
    ) -> list[DueItemRow]:
        """Unanswered items due on or before ``until`` of plans still scheduled (active
        or completed), in date order; ``clinic_id`` None: every clinic's."""
        query = (
            select(DueItemRow)
            .join(CoursePlanRow, CoursePlanRow.id == DueItemRow.plan_id)
            .where(
                DueItemRow.response_id.is_(None),
                DueItemRow.cancelled_at.is_(None),
                DueItemRow.due_on <= until,
                CoursePlanRow.status.in_(SCHEDULED_STATUSES),
            )
            .order_by(DueItemRow.due_on, DueItemRow.patient_id, DueItemRow.id)
        )
        if clinic_id is not None:
            query = query.where(DueItemRow.clinic_id == clinic_id)
        if patient_id is not None:
            query = query.where(DueItemRow.patient_id == patient_id)
        return list(self._session.scalars(query))

    def of_plan(self, plan_id: int) -> list[DueItemRow]:
        return list(
            self._session.scalars(
                select(DueItemRow)
                .where(DueItemRow.plan_id == plan_id)
                .order_by(DueItemRow.due_on, DueItemRow.id)
            )
        )

    def unscheduled_plans(self, clinic_id: int | None) -> list[CoursePlanRow]:
        """Scheduled plans (active or completed) without any due item yet: the plans
        issued before due items existed, scheduled lazily on first use."""
        query = (
            select(CoursePlanRow)
            .where(
                CoursePlanRow.status.in_(SCHEDULED_STATUSES),
                ~exists().where(DueItemRow.plan_id == CoursePlanRow.id),
            )
            .order_by(CoursePlanRow.id)
        )
        if clinic_id is not None:
            query = query.where(CoursePlanRow.clinic_id == clinic_id)
        return list(self._session.scalars(query))

    def attach_link(self, item_id: int, link_id: int, replaces: int | None) -> bool:
        """Point the item at a new link if it still points at ``replaces``; True if
        this call won (the loser of two concurrent runs rolls its link back)."""
        current = (
            DueItemRow.link_id.is_(None)
            if replaces is None
            else DueItemRow.link_id == replaces
        )
        result = self._session.execute(
            update(DueItemRow)
            .where(DueItemRow.id == item_id, DueItemRow.response_id.is_(None), current)
            .values(link_id=link_id, reminded_at=None)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def move(self, item_id: int, due_on: dt.date) -> bool:
        """Give an item that is neither answered nor sent a new date; True if moved."""
        result = self._session.execute(
            update(DueItemRow)
            .where(
                DueItemRow.id == item_id,
                DueItemRow.response_id.is_(None),
                DueItemRow.link_id.is_(None),
                DueItemRow.cancelled_at.is_(None),
            )
            .values(due_on=due_on)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def cancel(self, item_id: int, at: dt.datetime) -> bool:
        """Cancel an unanswered item (its course ended); True if this call did."""
        result = self._session.execute(
            update(DueItemRow)
            .where(
                DueItemRow.id == item_id,
                DueItemRow.response_id.is_(None),
                DueItemRow.cancelled_at.is_(None),
            )
            .values(cancelled_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def answer(self, item_id: int, response_id: int) -> None:
        self._session.execute(
            update(DueItemRow)
            .where(
                DueItemRow.id == item_id,
                DueItemRow.response_id.is_(None),
                DueItemRow.cancelled_at.is_(None),
            )
            .values(response_id=response_id)
            .execution_options(synchronize_session=False)
        )

    def reminded(self, link_id: int, at: dt.datetime) -> None:
        """Note when the reminder of the item's link went out."""
        self._session.execute(
            update(DueItemRow)
            .where(DueItemRow.link_id == link_id, DueItemRow.reminded_at.is_(None))
            .values(reminded_at=at)
            .execution_options(synchronize_session=False)
        )
