"""Services: every use case written once for the CLI, the web app, the API, CDS Hooks.

The use cases live in sub-packages by who they serve: ``access`` (accounts, sign-in,
sessions, tokens, throttling, the acting ``Actor``), ``clinic`` (patients,
assessments, clearance, replay), ``course`` (plans, sessions, questionnaires,
outcomes), ``cds`` (the CDS Hooks service) and ``exchange`` (FHIR and cohort reads);
the shared base (units of work, audit, records, the database) stays at this level.
Callers import from ``spinewise.services``, which re-exports every public name.

How to call them::

    store = open_store(settings.database_url)        # once per process
    ensure_schema(store, create_if_empty=store.backend == "sqlite")
    actor = authenticate(store, "therapist", password, Interface.WEB)  # or
    actor = verify_api_token(store, token)             # Actor | None
    # the web app: create_app(settings, store=store); its pages and API routes get
    # the ``Actor`` from the server-side session (``resume_web_session``) or token
    patient = register_patient(store, actor, {"record_number": "P-1", "name": "A. B."})
    result = submit_assessment(store, actor, patient.id, data, kb)
    result.decision.decision.verdict

Every function takes the ``Store`` and the acting ``Actor`` (user id, clinic id, role,
interface) and runs in its own unit of work: it commits when it returns and rolls back
when it raises, so nothing is ever half-written. The web app keeps one ``Store`` on
``app.state`` and builds the ``Actor`` per request from the session or token.

Rules enforced here, not in the adapters:

* tenancy: another clinic's record is ``NotFoundError``, never the record;
* roles: ``PermissionDeniedError`` (admins manage users and read the audit trail;
  physicians and therapists work with patients; only physicians record clearances;
  admins and physicians replay decisions);
* audit: every read, creation, change and export of patient data is an audit event
  in the same transaction; refusals are audited too;
* input: ``InputError`` naming every bad field; duplicates ``ConflictError(field=...)``.

Returned values are frozen pydantic records (``services.records``), never ORM rows.

The course (``courses``, ``sessions``, ``questionnaires``, ``outcomes``)::

    plan = issue_plan(store, therapist, patient.id, kb, start_date=day)
    done = record_session(store, therapist, patient.id, session_yaml_data, kb)
    done.note.stop.suspend_plan   # stop rules applied; plan suspended + re-screen flag
    link = create_questionnaire_link(store, therapist, patient.id, "odi",
                                     secret=secret, valid_days=14)
    answer_questionnaire_link(store, link.token, answers, secret=secret)
    # secret = instance_secret(store, settings): the operator's, or the database's
    list_outcomes(store, physician, patient.id).series[0].chart_svg

Patients act through a questionnaire link's token alone (audited as role ``patient``).

Whole-cohort work (physicians and admins; one audit event per read, not per patient)::

    frame = read_cohort(store, physician, use=CohortUse.SCREEN)  # polars, cohort layout
    screen_cohort(frame, kb)   # or diff_cohorts(frame, old_kb, new_kb); write_parquet
"""

from spinewise.services.access.accounts import (
    authenticate,
    create_clinic,
    create_user,
    find_clinic,
    issue_api_token,
    list_users,
    revoke_api_token,
    set_user_active,
)
from spinewise.services.access.actors import Actor, Interface, Role
from spinewise.services.access.anonymous import admit_anonymous
from spinewise.services.access.credentials import SignInStep, complete_sign_in, sign_in
from spinewise.services.access.instance_secret import instance_secret
from spinewise.services.access.nonces import StoredJtis, claim_once
from spinewise.services.access.passwords import (
    MIN_LENGTH,
    change_password,
    must_change_password,
    password_problem,
    random_password,
    require_strong_password,
)
from spinewise.services.access.throttle import SigninPolicy, signin_wait
from spinewise.services.access.tokens import (
    ApiTokenRecord,
    TokenCache,
    list_api_tokens,
    verify_api_token,
)
from spinewise.services.access.totp_keys import (
    TotpSecrets,
    encrypt_plain_totp_secrets,
    encrypt_totp_secrets,
    totp_secrets_status,
)
from spinewise.services.access.totp_seeds import SeedKey, totp_key
from spinewise.services.access.two_factor import (
    Enrolment,
    confirm_enrolment,
    disable_two_factor,
    new_recovery_codes,
    pending_enrolment,
    start_enrolment,
    two_factor_enabled,
    two_factor_required,
)
from spinewise.services.access.users_admin import (
    add_user,
    change_role,
    get_user,
    reset_password,
    reset_two_factor,
    set_own_language,
)
from spinewise.services.access.web_signin import (
    SigninOutcome,
    SigninPolicies,
    SigninRequest,
    finish_sign_in_web,
    sign_in_web,
)
from spinewise.services.access.websessions import (
    ActiveSession,
    SessionPolicy,
    StartedSession,
    WebSessionRecord,
    end_own_session,
    end_user_sessions,
    end_user_sessions_in,
    end_web_session,
    list_web_sessions,
    resume_web_session,
    start_web_session,
)
from spinewise.services.audit import Action, client_address, client_origin
from spinewise.services.cds.config import CdsConfig, CdsNotConfiguredError
from spinewise.services.cds.feedback import ReasonCount, RuleFeedback, feedback_report
from spinewise.services.cds.hooks import CdsHooks
from spinewise.services.cds.http import EhrHttp, EhrUnavailableError, TrustedIssuers
from spinewise.services.clinic.access_request import export_patient, export_patient_pdf
from spinewise.services.clinic.assessments import (
    amend_assessment,
    get_assessment,
    latest_assessments,
    submit_assessment,
)
from spinewise.services.clinic.clearance import (
    ClearanceDecision,
    awaiting_physician,
    clearance_history,
    current_clearance,
    record_clearance,
    request_clearance,
)
from spinewise.services.clinic.consent import (
    CONSENT_TEXTS,
    CONSENT_VERSION,
    ConsentKind,
    ConsentState,
    patient_consents,
    record_consent,
    set_patient_contact,
)
from spinewise.services.clinic.erasure import (
    ErasureOutcome,
    ErasureReason,
    clinic_retention,
    erase_patient,
    run_retention,
    set_clinic_retention,
)
from spinewise.services.clinic.patients import (
    NewPatient,
    PatientChanges,
    PatientRevision,
    find_patient,
    get_patient,
    list_patients,
    patient_overview,
    patient_revisions,
    register_patient,
    update_patient,
)
from spinewise.services.clinic.replay import replay_decisions
from spinewise.services.clinic.screening import (
    Screener,
    decisions_of_patient,
    get_decision,
    screen_assessment,
)
from spinewise.services.course.course_records import (
    LinkItem,
    LinkView,
    OutcomeSeries,
    OutcomesReport,
    PlanRecord,
    PlanStatus,
    QuestionnaireLink,
    RescreenFlagRecord,
    ResponseRecord,
    SessionNoteRecord,
    SessionOutcome,
)
from spinewise.services.course.courses import (
    current_plan,
    export_care_sheet_pdf,
    export_plan_pdf,
    get_plan,
    issue_plan,
    rescreen_flags,
)
from spinewise.services.course.day import DayView, PlannedVisit, day_view
from spinewise.services.course.day_admin import OutboxProblem, outbox_problems
from spinewise.services.course.due import (
    FOLLOW_UP_DAYS,
    questionnaire_schedule,
)
from spinewise.services.course.due_items import DueItem, list_due, send_due_link
from spinewise.services.course.ending import (
    CourseEnded,
    CourseEnding,
    EndCourse,
    EndReason,
    end_course,
)
from spinewise.services.course.letters import physician_letter
from spinewise.services.course.link_admin import OpenLink, cancel_link, open_links
from spinewise.services.course.link_messages import unsubscribe_token
from spinewise.services.course.links import (
    qr_svg,
    questionnaire_url,
)
from spinewise.services.course.outbox import (
    NOT_CONFIGURED,
    Mailer,
    MailSettings,
    OutboxMessage,
    cancel_message,
    deliver_outbox,
    email_link,
    list_outbox,
    mail_settings,
    smtp_mailer,
    unsubscribe,
)
from spinewise.services.course.outcomes import (
    RecentStartBack,
    list_outcomes,
    outcome_series,
    recent_start_back,
)
from spinewise.services.course.questionnaires import (
    answer_questionnaire_link,
    create_questionnaire_link,
    open_questionnaire_link,
    record_response,
)
from spinewise.services.course.reminders import ReminderSettings, run_reminders
from spinewise.services.course.resend import resend_message
from spinewise.services.course.reviews import (
    Resolution,
    ReviewRecord,
    course_reviews,
    resolve_course_review,
)
from spinewise.services.course.schedule import (
    PlannedDate,
    Therapist,
    assign_therapist,
    clinic_therapists,
    planned_dates,
    reschedule_session,
)
from spinewise.services.course.sessions import (
    amend_session,
    record_session,
    session_notes,
)
from spinewise.services.course.text_packs import (
    TextPackRecord,
    import_text_pack,
    list_text_packs,
)
from spinewise.services.database import (
    backup,
    database_status,
    downgrade_database,
    ensure_schema,
    upgrade_database,
)
from spinewise.services.demo import (
    DEMO_CLINIC,
    DEMO_USERS,
    SECOND_CLINIC,
    DemoSummary,
    seed_demo,
)
from spinewise.services.exchange.cohort import CohortProgress, CohortUse, read_cohort
from spinewise.services.exchange.conformance import (
    PUBLIC_FHIR_TYPES,
    FhirConformance,
    fhir_conformance,
)
from spinewise.services.exchange.fhir import (
    ImportedBundle,
    export_fhir_record,
    import_fhir_bundle,
)
from spinewise.services.records import (
    AssessmentRecord,
    AuditEntry,
    AwaitingPhysician,
    ClearanceOutcome,
    ClearanceRecord,
    ClinicRecord,
    DatabaseStatus,
    DecisionRecord,
    IssuedToken,
    PatientOverview,
    PatientRecord,
    ReplayChange,
    ReplayReport,
    RuleChange,
    ScreeningResult,
    UserRecord,
)
from spinewise.services.trail import AuditFilter, list_audit
from spinewise.services.web_views import (
    PatientPage,
    PatientStatus,
    PlanState,
    patient_status,
    patients_with_status,
    search_patients,
)
from spinewise.store import Store, open_store

__all__ = [
    "CONSENT_TEXTS",
    "CONSENT_VERSION",
    "DEMO_CLINIC",
    "DEMO_USERS",
    "FOLLOW_UP_DAYS",
    "MIN_LENGTH",
    "NOT_CONFIGURED",
    "PUBLIC_FHIR_TYPES",
    "SECOND_CLINIC",
    "Action",
    "ActiveSession",
    "Actor",
    "ApiTokenRecord",
    "AssessmentRecord",
    "AuditEntry",
    "AuditFilter",
    "AwaitingPhysician",
    "CdsConfig",
    "CdsHooks",
    "CdsNotConfiguredError",
    "ClearanceDecision",
    "ClearanceOutcome",
    "ClearanceRecord",
    "ClinicRecord",
    "CohortProgress",
    "CohortUse",
    "ConsentKind",
    "ConsentState",
    "CourseEnded",
    "CourseEnding",
    "DatabaseStatus",
    "DayView",
    "DecisionRecord",
    "DemoSummary",
    "DueItem",
    "EhrHttp",
    "EhrUnavailableError",
    "EndCourse",
    "EndReason",
    "Enrolment",
    "ErasureOutcome",
    "ErasureReason",
    "FhirConformance",
    "ImportedBundle",
    "Interface",
    "IssuedToken",
    "LinkItem",
    "LinkView",
    "MailSettings",
    "Mailer",
    "NewPatient",
    "OpenLink",
    "OutboxMessage",
    "OutboxProblem",
    "OutcomeSeries",
    "OutcomesReport",
    "PatientChanges",
    "PatientOverview",
    "PatientPage",
    "PatientRecord",
    "PatientRevision",
    "PatientStatus",
    "PlanRecord",
    "PlanState",
    "PlanStatus",
    "PlannedDate",
    "PlannedVisit",
    "QuestionnaireLink",
    "ReasonCount",
    "RecentStartBack",
    "ReminderSettings",
    "ReplayChange",
    "ReplayReport",
    "RescreenFlagRecord",
    "Resolution",
    "ResponseRecord",
    "ReviewRecord",
    "Role",
    "RuleChange",
    "RuleFeedback",
    "Screener",
    "ScreeningResult",
    "SeedKey",
    "SessionNoteRecord",
    "SessionOutcome",
    "SessionPolicy",
    "SignInStep",
    "SigninOutcome",
    "SigninPolicies",
    "SigninPolicy",
    "SigninRequest",
    "StartedSession",
    "Store",
    "StoredJtis",
    "TextPackRecord",
    "Therapist",
    "TokenCache",
    "TotpSecrets",
    "TrustedIssuers",
    "UserRecord",
    "WebSessionRecord",
    "add_user",
    "admit_anonymous",
    "amend_assessment",
    "amend_session",
    "answer_questionnaire_link",
    "assign_therapist",
    "authenticate",
    "awaiting_physician",
    "backup",
    "cancel_link",
    "cancel_message",
    "change_password",
    "change_role",
    "claim_once",
    "clearance_history",
    "client_address",
    "client_origin",
    "clinic_retention",
    "clinic_therapists",
    "complete_sign_in",
    "confirm_enrolment",
    "course_reviews",
    "create_clinic",
    "create_questionnaire_link",
    "create_user",
    "current_clearance",
    "current_plan",
    "database_status",
    "day_view",
    "decisions_of_patient",
    "deliver_outbox",
    "disable_two_factor",
    "downgrade_database",
    "email_link",
    "encrypt_plain_totp_secrets",
    "encrypt_totp_secrets",
    "end_course",
    "end_own_session",
    "end_user_sessions",
    "end_user_sessions_in",
    "end_web_session",
    "ensure_schema",
    "erase_patient",
    "export_care_sheet_pdf",
    "export_fhir_record",
    "export_patient",
    "export_patient_pdf",
    "export_plan_pdf",
    "feedback_report",
    "fhir_conformance",
    "find_clinic",
    "find_patient",
    "finish_sign_in_web",
    "get_assessment",
    "get_decision",
    "get_patient",
    "get_plan",
    "get_user",
    "import_fhir_bundle",
    "import_text_pack",
    "instance_secret",
    "issue_api_token",
    "issue_plan",
    "latest_assessments",
    "list_api_tokens",
    "list_audit",
    "list_due",
    "list_outbox",
    "list_outcomes",
    "list_patients",
    "list_text_packs",
    "list_users",
    "list_web_sessions",
    "mail_settings",
    "must_change_password",
    "new_recovery_codes",
    "open_links",
    "open_questionnaire_link",
    "open_store",
    "outbox_problems",
    "outcome_series",
    "password_problem",
    "patient_consents",
    "patient_overview",
    "patient_revisions",
    "patient_status",
    "patients_with_status",
    "pending_enrolment",
    "physician_letter",
    "planned_dates",
    "qr_svg",
    "questionnaire_schedule",
    "questionnaire_url",
    "random_password",
    "read_cohort",
    "recent_start_back",
    "record_clearance",
    "record_consent",
    "record_response",
    "record_session",
    "register_patient",
    "replay_decisions",
    "request_clearance",
    "require_strong_password",
    "reschedule_session",
    "rescreen_flags",
    "resend_message",
    "reset_password",
    "reset_two_factor",
    "resolve_course_review",
    "resume_web_session",
    "revoke_api_token",
    "run_reminders",
    "run_retention",
    "screen_assessment",
    "search_patients",
    "seed_demo",
    "send_due_link",
    "session_notes",
    "set_clinic_retention",
    "set_own_language",
    "set_patient_contact",
    "set_user_active",
    "sign_in",
    "sign_in_web",
    "signin_wait",
    "smtp_mailer",
    "start_enrolment",
    "start_web_session",
    "submit_assessment",
    "totp_key",
    "totp_secrets_status",
    "two_factor_enabled",
    "two_factor_required",
    "unsubscribe",
    "unsubscribe_token",
    "update_patient",
    "upgrade_database",
    "verify_api_token",
]
