"""The CDS Hooks service: JWT-checked calls, EHR fetches and pages, the clearance on
record, cards, and the feedback that clinicians give on them."""
