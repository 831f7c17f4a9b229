"""Moved to ``tests.services.builders``; re-exported for tests written before the move."""

from tests.services.builders import START, planned_patient, session_data

__all__ = ["START", "planned_patient", "session_data"]
