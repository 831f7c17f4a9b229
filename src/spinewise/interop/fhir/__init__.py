"""FHIR R4 resources from and to the core models (fhir.resources R4B): patients,
questionnaires, decisions, clearance, care plans, bundles and coded EHR answers."""
