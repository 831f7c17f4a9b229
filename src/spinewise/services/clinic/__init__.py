"""The clinical record of a clinic's patients: registration, assessments with their
decisions, the physician's clearance, replay and plausibility checks."""
