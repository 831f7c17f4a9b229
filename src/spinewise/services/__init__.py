"""Services: every use case written once for the CLI, the web app, the API, CDS Hooks.

How to call them::

    store = open_store(settings.database_url)        # once per process
    ensure_schema(store, create_if_empty=store.backend == "sqlite")
    actor = authenticate(store, "therapist", password, Interface.WEB)  # or
    actor = verify_api_token(store, token)             # Actor | None
    # the web app: create_app(settings, authenticator=StoreAuthenticator(store));
    # its signed-in user carries ``.actor`` for the service calls
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
"""

from spinewise.services.accounts import (
    authenticate,
    create_clinic,
    create_user,
    find_clinic,
    issue_api_token,
    list_users,
    revoke_api_token,
    set_user_active,
    verify_api_token,
)
from spinewise.services.actors import Actor, Interface, Role
from spinewise.services.assessments import (
    amend_assessment,
    get_assessment,
    latest_assessments,
    submit_assessment,
)
from spinewise.services.audit import Action
from spinewise.services.clearance import (
    ClearanceDecision,
    awaiting_physician,
    clearance_history,
    current_clearance,
    record_clearance,
    request_clearance,
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
from spinewise.services.patients import (
    NewPatient,
    find_patient,
    get_patient,
    list_patients,
    patient_overview,
    register_patient,
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
from spinewise.services.replay import replay_decisions
from spinewise.services.screening import (
    Screener,
    decisions_of_patient,
    get_decision,
    screen_assessment,
)
from spinewise.services.signin import SignedInUser, StoreAuthenticator, load_actor
from spinewise.services.trail import AuditFilter, list_audit
from spinewise.store import Store, open_store

__all__ = [
    "DEMO_CLINIC",
    "DEMO_USERS",
    "SECOND_CLINIC",
    "Action",
    "Actor",
    "AssessmentRecord",
    "AuditEntry",
    "AuditFilter",
    "AwaitingPhysician",
    "ClearanceDecision",
    "ClearanceOutcome",
    "ClearanceRecord",
    "ClinicRecord",
    "DatabaseStatus",
    "DecisionRecord",
    "DemoSummary",
    "Interface",
    "IssuedToken",
    "NewPatient",
    "PatientOverview",
    "PatientRecord",
    "ReplayChange",
    "ReplayReport",
    "Role",
    "RuleChange",
    "Screener",
    "ScreeningResult",
    "SignedInUser",
    "Store",
    "StoreAuthenticator",
    "UserRecord",
    "amend_assessment",
    "authenticate",
    "awaiting_physician",
    "backup",
    "clearance_history",
    "create_clinic",
    "create_user",
    "current_clearance",
    "database_status",
    "decisions_of_patient",
    "downgrade_database",
    "ensure_schema",
    "find_clinic",
    "find_patient",
    "get_assessment",
    "get_decision",
    "get_patient",
    "issue_api_token",
    "latest_assessments",
    "list_audit",
    "list_patients",
    "list_users",
    "load_actor",
    "open_store",
    "patient_overview",
    "record_clearance",
    "register_patient",
    "replay_decisions",
    "request_clearance",
    "revoke_api_token",
    "screen_assessment",
    "seed_demo",
    "set_user_active",
    "submit_assessment",
    "upgrade_database",
    "verify_api_token",
]
