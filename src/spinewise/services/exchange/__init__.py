"""Records in and out of the clinic: FHIR export and import, and whole-cohort reads
for columnar re-screening."""
