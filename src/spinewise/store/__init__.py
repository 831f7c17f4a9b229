"""The store: SQLAlchemy 2 tables, units of work, Alembic migrations, backups.

No domain rules live here: shapes, keys, constraints, clinic-scoped queries and
transactions. ``spinewise.services`` decides what may be stored and by whom.
"""

from spinewise.store.audit import AuditLog, AuditQuery
from spinewise.store.audit_writer import AuditWriter
from spinewise.store.backup import backup_database
from spinewise.store.cds import CdsCardRow, CdsCards, CdsFeedbackRow
from spinewise.store.changes import change_counter
from spinewise.store.cohort import Cohorts, cohort_query
from spinewise.store.cohort_record import cohort_columns, empty_cohort
from spinewise.store.columns import utc_now
from spinewise.store.consents import Consents
from spinewise.store.core_write import CoreWrite
from spinewise.store.counters import AddressCounterRow, AddressCounters
from spinewise.store.courses import CoursePlans, RescreenFlags, SessionNotes
from spinewise.store.courses_tables import (
    CoursePlanRow,
    QuestionnaireLinkRow,
    QuestionnaireResponseRow,
    RescreenFlagRow,
    SessionNoteRow,
)
from spinewise.store.db import Store, database_url, open_store
from spinewise.store.due import DueItems
from spinewise.store.endings import CourseEndingRow, CourseEndings
from spinewise.store.erasure import (
    ERASED,
    Erasure,
    last_clinical_day,
    patients_kept,
)
from spinewise.store.migrate import (
    complete_metadata,
    current_revision,
    downgrade,
    has_tables,
    head_revision,
    upgrade,
)
from spinewise.store.outbox import Outbox
from spinewise.store.outreach_tables import (
    ConsentRow,
    CourseReviewRow,
    DueItemRow,
    OutboxRow,
    TextPackRow,
)
from spinewise.store.questionnaires import QuestionnaireLinks, QuestionnaireResponses
from spinewise.store.reading import ReadUnit
from spinewise.store.reads import ClearanceView, Standing
from spinewise.store.reviews import CourseReviews
from spinewise.store.schedule import SessionSchedule, SessionScheduleRow
from spinewise.store.shared_state import (
    InstanceSecretRow,
    InstanceSecrets,
    SigninFailureRow,
    SigninFailures,
    UsedNonceRow,
    UsedNonces,
    WebSessionRow,
    WebSessions,
)
from spinewise.store.stored import StoredAssessment
from spinewise.store.tables import (
    ApiTokenRow,
    AssessmentRow,
    AuditRow,
    Base,
    ClearanceRow,
    ClinicRow,
    DecisionRow,
    PatientRow,
    UserRow,
    metadata,
)
from spinewise.store.text_packs import TextPacks
from spinewise.store.token_reads import TokenReader, TokenStanding
from spinewise.store.two_factor import RecoveryCodeRow, RecoveryCodes
from spinewise.store.uow import UnitOfWork

__all__ = [
    "ERASED",
    "AddressCounterRow",
    "AddressCounters",
    "ApiTokenRow",
    "AssessmentRow",
    "AuditLog",
    "AuditQuery",
    "AuditRow",
    "AuditWriter",
    "Base",
    "CdsCardRow",
    "CdsCards",
    "CdsFeedbackRow",
    "ClearanceRow",
    "ClearanceView",
    "ClinicRow",
    "Cohorts",
    "ConsentRow",
    "Consents",
    "CoreWrite",
    "CourseEndingRow",
    "CourseEndings",
    "CoursePlanRow",
    "CoursePlans",
    "CourseReviewRow",
    "CourseReviews",
    "DecisionRow",
    "DueItemRow",
    "DueItems",
    "Erasure",
    "InstanceSecretRow",
    "InstanceSecrets",
    "Outbox",
    "OutboxRow",
    "PatientRow",
    "QuestionnaireLinkRow",
    "QuestionnaireLinks",
    "QuestionnaireResponseRow",
    "QuestionnaireResponses",
    "ReadUnit",
    "RecoveryCodeRow",
    "RecoveryCodes",
    "RescreenFlagRow",
    "RescreenFlags",
    "SessionNoteRow",
    "SessionNotes",
    "SessionSchedule",
    "SessionScheduleRow",
    "SigninFailureRow",
    "SigninFailures",
    "Standing",
    "Store",
    "StoredAssessment",
    "TextPackRow",
    "TextPacks",
    "TokenReader",
    "TokenStanding",
    "UnitOfWork",
    "UsedNonceRow",
    "UsedNonces",
    "UserRow",
    "WebSessionRow",
    "WebSessions",
    "backup_database",
    "change_counter",
    "cohort_columns",
    "cohort_query",
    "complete_metadata",
    "current_revision",
    "database_url",
    "downgrade",
    "empty_cohort",
    "has_tables",
    "head_revision",
    "last_clinical_day",
    "metadata",
    "open_store",
    "patients_kept",
    "upgrade",
    "utc_now",
]
