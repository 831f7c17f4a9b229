"""CDS Hooks 2.0 as pure functions: the hook context, cards, order matching, safety
notes and the rules for the EHR's JWT."""
