"""Reading the clinic's cohort from the store: same verdicts, roles, isolation, audit."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from tests.pg import World
from tests.services.builders import approve, assessed_patient
from tests.store.stored_cohort import stored_decisions

from spinewise import services
from spinewise.errors import PermissionDeniedError
from spinewise.kb import KnowledgeBase
from spinewise.models import Modality
from spinewise.screening import cohort_screener, screen_cohort, status_column
from spinewise.services import Actor, CohortUse, DemoSummary, Interface
from spinewise.store import AuditQuery, Store


def _demo_actor(store: Store, summary: DemoSummary, username: str) -> Actor:
    """A demo user signed in with the password the demo printed."""
    password = summary.passwords[username]
    actor = services.authenticate(store, username, password, Interface.CLI)
    assert actor is not None
    return actor


def _cohort_events(store: Store, clinic_id: int) -> list[dict[str, object]]:
    with store.unit_of_work() as uow:
        rows = uow.audit.query(AuditQuery(clinic_id=clinic_id, entity="cohort"))
        return [
            {"action": r.action, "username": r.username, "detail": r.detail}
            for r in rows
        ]


def test_an_exported_cohort_screens_to_the_stored_decisions(
    store: Store, kb: KnowledgeBase, tmp_path: Path
) -> None:
    summary = services.seed_demo(store, kb)
    physician = _demo_actor(store, summary, "physician")
    frame = services.read_cohort(store, physician, use=CohortUse.EXPORT)
    path = tmp_path / "cohort.parquet"
    frame.write_parquet(path)
    result = screen_cohort(pl.read_parquet(path), kb)
    stored = stored_decisions(store, physician.clinic_id)
    assert result.height == len(stored) == 11
    assert len(set(result["verdict"].cast(pl.String))) >= 6  # every kind of outcome
    for row in result.iter_rows(named=True):
        _, decision = stored[row["patient_id"]]
        assert row["verdict"] == decision.verdict.value
        for m in Modality:
            assert row[status_column(m)] == decision.modalities[m].status.value


def test_cleared_flagged_and_unknown_patients_screen_to_their_stored_decisions(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    cleared = assessed_patient(store, world.therapist_a, kb, "C-1")
    approve(store, world.physician_a, cleared.assessment.patient_id, kb)
    assessed_patient(store, world.therapist_a, kb, "R-1", red_flags={"fever": True})
    assessed_patient(store, world.therapist_a, kb, "U-1", red_flags={"fever": None})
    frame = services.read_cohort(store, world.admin_a)
    stored = stored_decisions(store, world.clinic_a)
    verdicts = dict(screen_cohort(frame, kb).select("patient_id", "verdict").rows())
    assert verdicts == {p: d.verdict.value for p, (_, d) in stored.items()}
    assert set(verdicts.values()) == {"proceed", "not_now", "incomplete"}


def test_a_nonspecific_patient_reads_back_with_its_profile_and_decision(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    condition = {"profile": "nonspecific_back_pain", "region": "cervical"}
    ns = assessed_patient(
        store, world.therapist_a, kb, "N-1", condition=condition, hernia=None
    )
    assessed_patient(store, world.therapist_a, kb, "H-1")
    assert ns.decision.decision.profile == "nonspecific_back_pain"
    frame = services.read_cohort(store, world.admin_a)
    result = screen_cohort(frame, kb)
    stored = stored_decisions(store, world.clinic_a)
    profiles = dict(result.select("patient_id", "profile").rows())
    assert sorted(profiles.values()) == ["disc_herniation", "nonspecific_back_pain"]
    for row in result.iter_rows(named=True):
        _, decision = stored[row["patient_id"]]
        assert row["verdict"] == decision.verdict.value
        assert row["profile"] == decision.profile.value


@pytest.mark.parametrize("name", ["therapist_a"])
def test_a_therapist_may_not_read_the_cohort_and_the_refusal_is_audited(
    store: Store, world: World, kb: KnowledgeBase, name: str
) -> None:
    assessed_patient(store, world.therapist_a, kb)
    with pytest.raises(PermissionDeniedError, match="physician role"):
        services.read_cohort(store, world.actors[name], use=CohortUse.EXPORT)
    with store.unit_of_work() as uow:
        denied = uow.audit.query(AuditQuery(clinic_id=world.clinic_a, action="denied"))
    assert [r.username for r in denied] == ["therapist-a"]
    assert _cohort_events(store, world.clinic_a) == []


@pytest.mark.parametrize("reader", ["physician", "admin"])
def test_each_clinic_reads_its_own_patients_only(
    store: Store, world: World, kb: KnowledgeBase, reader: str
) -> None:
    ours = {
        assessed_patient(store, world.therapist_a, kb, f"A-{i}").assessment.patient_id
        for i in range(3)
    }
    theirs = {
        assessed_patient(store, world.therapist_b, kb, f"B-{i}").assessment.patient_id
        for i in range(2)
    }
    read_a = services.read_cohort(store, world.actors[f"{reader}_a"])
    read_b = services.read_cohort(store, world.actors[f"{reader}_b"])
    assert set(read_a["patient_id"]) == ours
    assert set(read_b["patient_id"]) == theirs


def test_one_audit_event_per_read_names_the_use_and_the_patients(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    for i in range(4):
        assessed_patient(store, world.therapist_a, kb, f"P-{i}")
    with store.unit_of_work() as uow:
        before = uow.audit.count()
    services.read_cohort(
        store, world.physician_a, use=CohortUse.EXPORT, destination="all.parquet"
    )
    services.read_cohort(store, world.admin_a, use=CohortUse.DIFF, chunk_rows=1)
    with store.unit_of_work() as uow:
        assert uow.audit.count() == before + 2
    assert _cohort_events(store, world.clinic_a) == [
        {
            "action": "read",
            "username": "admin-a",
            "detail": {"use": "diff", "patients": 4},
        },
        {
            "action": "export",
            "username": "physician-a",
            "detail": {"use": "export", "patients": 4, "destination": "all.parquet"},
        },
    ]
    assert _cohort_events(store, world.clinic_b) == []


def test_progress_reports_every_row_read_against_the_total(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    for i in range(5):
        assessed_patient(store, world.therapist_a, kb, f"P-{i}")
    calls: list[tuple[int, int]] = []
    frame = services.read_cohort(
        store,
        world.physician_a,
        chunk_rows=2,
        progress=lambda rows, total: calls.append((rows, total)),
    )
    assert frame.height == 5
    assert calls == [(2, 5), (2, 5), (1, 5)]


def test_an_empty_clinic_reads_as_an_empty_cohort_in_the_layout(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    frame = services.read_cohort(store, world.physician_b)
    assert frame.height == 0
    assert screen_cohort(frame, kb).height == 0


def test_a_cohort_screened_chunk_by_chunk_as_read_gives_the_stored_decisions(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    cleared = assessed_patient(store, world.therapist_a, kb, "C-1")
    approve(store, world.physician_a, cleared.assessment.patient_id, kb)
    assessed_patient(store, world.therapist_a, kb, "R-1", red_flags={"fever": True})
    assessed_patient(store, world.therapist_a, kb, "U-1", red_flags={"fever": None})
    condition = {"profile": "nonspecific_back_pain", "region": "cervical"}
    assessed_patient(
        store, world.therapist_a, kb, "N-1", condition=condition, hernia=None
    )
    assessed_patient(store, world.therapist_a, kb, "H-1")
    result = services.read_cohort(
        store, world.physician_a, chunk_rows=2, each_chunk=cohort_screener(kb)
    )
    stored = stored_decisions(store, world.clinic_a)
    assert result["patient_id"].to_list() == sorted(stored)
    for row in result.iter_rows(named=True):
        _, decision = stored[row["patient_id"]]  # made by screen() when submitted
        assert row["verdict"] == decision.verdict.value
        assert row["profile"] == decision.profile.value
        assert row["missing"] == decision.missing
        for m in Modality:
            assert row[status_column(m)] == decision.modalities[m].status.value
    assert _cohort_events(store, world.clinic_a)[-1]["detail"] == {
        "use": "screen",
        "patients": 5,
    }


def test_an_empty_clinic_screened_as_read_gives_an_empty_result(
    store: Store, world: World, kb: KnowledgeBase
) -> None:
    result = services.read_cohort(
        store, world.physician_b, each_chunk=cohort_screener(kb)
    )
    assert result.height == 0
    assert "verdict" in result.columns
