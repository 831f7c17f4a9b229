"""FHIR R4 mapping (``fhir.resources.R4B``): pure functions, core models <-> resources.

One module per target: ``fhir_patient`` (Patient, Condition), ``fhir_questionnaire``
(the published Questionnaire), ``fhir_assessment`` / ``fhir_assessment_import``
(QuestionnaireResponse out and back), ``fhir_observation`` (pain NRS, scores),
``fhir_decision`` (GuidanceResponse, DetectedIssue), ``fhir_clearance``
(ServiceRequest/Task), ``fhir_careplan`` (CarePlan), ``fhir_kb`` (PlanDefinition,
Library), ``fhir_bundle`` / ``fhir_bundle_read`` (the record as a Bundle and back),
``fhir_narrative`` (the generated ``text`` of each resource), ``fhir_terminology`` /
``fhir_conformance`` (the published CodeSystems, ValueSets, extension
StructureDefinitions, CapabilityStatement, and ``published``: a bundle under the
canonical URLs); ``codes`` holds every code system and the ``CONFIRMED`` flags.

CDS Hooks 2.0 (pure too): ``cds_hooks`` (request/response shapes, cards),
``cds_context`` (prefetch keys and the QuestionnaireResponse they carry),
``cds_orders`` (which order-select orders are massage or physiotherapy) and
``cds_jwt`` (the client JWT check).
"""

from spinewise.interop.cds.context import (
    ABSENT,
    PREFETCH,
    ChosenResponse,
    check_patient,
    choose_response,
    prefetched,
    read_response,
    render_query,
)
from spinewise.interop.cds.hooks import (
    OVERRIDE_REASONS,
    Card,
    FeedbackItem,
    FeedbackRequest,
    HookRequest,
    card_rules,
    cards_for,
    response_body,
    service_definitions,
    service_hooks,
    unavailable_card,
)
from spinewise.interop.cds.jwt import (
    CdsAuthError,
    JtiCache,
    JtiClaims,
    key_set,
    unverified_header,
    unverified_issuer,
    unverified_parts,
    verify_hook_jwt,
)
from spinewise.interop.cds.orders import (
    ORDER_CODES,
    OrderMatch,
    ordered_modalities,
    selected_orders,
)
from spinewise.interop.codes import CONFIRMED, DEFAULT_CANONICAL_BASE, local_name
from spinewise.interop.fhir.assessment import questionnaire_response
from spinewise.interop.fhir.assessment_import import assessment_of
from spinewise.interop.fhir.bundle import (
    AssessmentRecord,
    ClearanceRecord,
    PatientRecord,
    ScoreRecord,
    assessment_bundle,
    assessment_resources,
    patient_bundle,
    record_resources,
    to_json,
)
from spinewise.interop.fhir.bundle_read import (
    parse_bundle,
    read_assessment_bundle,
    read_assessments,
)
from spinewise.interop.fhir.careplan import (
    ActivityInput,
    CarePlanInput,
    PlanLike,
    careplan_resource,
    plan_input,
)
from spinewise.interop.fhir.clearance import clearance_of, clearance_resources
from spinewise.interop.fhir.condition_profile import (
    CodedProfile,
    coded_profile,
    with_coded_profile,
)
from spinewise.interop.fhir.conformance import (
    PUBLIC_TYPES,
    capability_statement,
    conformance_resources,
    published,
)
from spinewise.interop.fhir.decision import (
    data_requirements,
    detected_issues,
    guidance_response,
    guidance_status,
)
from spinewise.interop.fhir.kb import kb_library, plan_definition
from spinewise.interop.fhir.observation import pain_observation, score_observation
from spinewise.interop.fhir.patient import (
    PatientInfo,
    condition_resource,
    patient_info_of,
    patient_resource,
    record_number_of,
)
from spinewise.interop.fhir.questionnaire import (
    QUESTIONNAIRE_CANONICAL,
    questionnaire_fields,
    questionnaire_resource,
)

__all__ = [
    "ABSENT",
    "CONFIRMED",
    "DEFAULT_CANONICAL_BASE",
    "ORDER_CODES",
    "OVERRIDE_REASONS",
    "PREFETCH",
    "PUBLIC_TYPES",
    "QUESTIONNAIRE_CANONICAL",
    "ActivityInput",
    "AssessmentRecord",
    "Card",
    "CarePlanInput",
    "CdsAuthError",
    "ChosenResponse",
    "ClearanceRecord",
    "CodedProfile",
    "FeedbackItem",
    "FeedbackRequest",
    "HookRequest",
    "JtiCache",
    "JtiClaims",
    "OrderMatch",
    "PatientInfo",
    "PatientRecord",
    "PlanLike",
    "ScoreRecord",
    "assessment_bundle",
    "assessment_of",
    "assessment_resources",
    "capability_statement",
    "card_rules",
    "cards_for",
    "careplan_resource",
    "check_patient",
    "choose_response",
    "clearance_of",
    "clearance_resources",
    "coded_profile",
    "condition_resource",
    "conformance_resources",
    "data_requirements",
    "detected_issues",
    "guidance_response",
    "guidance_status",
    "kb_library",
    "key_set",
    "local_name",
    "ordered_modalities",
    "pain_observation",
    "parse_bundle",
    "patient_bundle",
    "patient_info_of",
    "patient_resource",
    "plan_definition",
    "plan_input",
    "prefetched",
    "published",
    "questionnaire_fields",
    "questionnaire_resource",
    "questionnaire_response",
    "read_assessment_bundle",
    "read_assessments",
    "read_response",
    "record_number_of",
    "record_resources",
    "render_query",
    "response_body",
    "score_observation",
    "selected_orders",
    "service_definitions",
    "service_hooks",
    "to_json",
    "unavailable_card",
    "unverified_header",
    "unverified_issuer",
    "unverified_parts",
    "verify_hook_jwt",
    "with_coded_profile",
]
