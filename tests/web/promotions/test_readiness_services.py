"""Readiness kept current from the reviews and promotions models: what counts (shared and closed
cycles, calibrated else manager, confirmations, evidence, endorsements), the recomputation of the
people an input change affects through the task queue after commit, and the company-wide
recomputation giving the same results.

The framework is tests/evaluation/readiness.yaml, published as version 1; alice's figures are those
of the first case of tests/evaluation/test_readiness.py, worked out by hand there.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from trellis.evaluation.readiness import (
    CycleResults,
    PersonInputs,
    Placement,
    evaluate,
    plan_readiness,
)
from trellis.framework.yaml_io import loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import Person
from trellis.web.promotions.models import Endorsement, Nomination, Readiness, ReadinessSnapshot
from trellis.web.promotions.readiness_services import (
    readiness_inputs_changed,
    readiness_recompute,
    readiness_recompute_all,
    readiness_snapshot_cycle,
    readiness_worded,
)
from trellis.web.reviews.models import CycleParticipant, EvidenceItem, Rating, ReviewCycle, Source

from ..task_worker import run_queued_tasks
from .conftest import make_cycle, rate

pytestmark = pytest.mark.django_db

EVIDENCE = "Shipped a feature of two weeks or more."
AS_OF = datetime.date(2026, 6, 30)


def _person(
    employee_id: str, level: str, since: str, *, manager: Person | None = None, track: str = "ic"
) -> Person:
    return Person.objects.create(
        employee_id=employee_id,
        email=f"{employee_id.lower()}@example.com",
        full_name=employee_id,
        family_id="engineering",
        track_id=track,
        level_code=level,
        level_since=datetime.date.fromisoformat(since),
        manager=manager,
    )


@pytest.fixture
def company(version: FrameworkVersion) -> dict[str, Any]:
    """alice (IC1, ready), bob (IC2, craft rated by peers only), carol (IC4, the top), dan (a level
    the framework lacks) and erin (inactive), under mona (M1); two counted cycles and an open one."""
    mona = _person("mona", "M1", "2024-01-01", track="management")
    alice = _person("alice", "IC1", "2025-01-01", manager=mona)
    bob = _person("bob", "IC2", "2025-02-15", manager=mona)
    carol = _person("carol", "IC4", "2024-01-01", manager=mona)
    dan = _person("dan", "IC9", "2024-01-01", manager=mona)
    erin = _person("erin", "IC1", "2025-01-01", manager=mona)
    Person.objects.filter(pk=erin.pk).update(is_active=False)
    h0 = make_cycle(version, "2024 H2", "2024-12-31", ReviewCycle.Phase.CLOSED)
    h1 = make_cycle(version, "2025 H1", "2025-06-30", ReviewCycle.Phase.CLOSED)
    h2 = make_cycle(version, "2025 H2", "2025-12-31", ReviewCycle.Phase.SHARED)
    open_cycle = make_cycle(version, "2026 H1", "2026-06-30", ReviewCycle.Phase.CALIBRATION)
    # Before alice's level date: ignored, though it meets everything.
    rate(h0, alice, Source.MANAGER, mona, {"communication": 5, "delivery": 5, "craft": 5})
    rate(h1, alice, Source.MANAGER, mona, {"communication": 3, "delivery": 3, "craft": 3})
    rate(h1, alice, Source.SELF, alice, {"craft": 5})
    rate(h2, alice, Source.MANAGER, mona, {"communication": 4, "delivery": 3, "craft": 3})
    # The calibrated result replaces the manager's 4 and 3 (3 and 3.5 cannot be: scores are whole).
    rate(h2, alice, Source.CALIBRATED, None, {"communication": 3, "delivery": 4})
    # Not shared yet: does not count.
    rate(open_cycle, alice, Source.MANAGER, mona, {"communication": 1, "delivery": 1, "craft": 1})
    rate(h2, bob, Source.MANAGER, mona, {"communication": 3, "delivery": 4})
    rate(h2, bob, Source.PEER, alice, {"craft": 5})
    for person in (alice, bob, carol):
        CycleParticipant.objects.create(
            cycle=h2,
            person=person,
            family_id="engineering",
            track_id="ic",
            level_code=person.level_code,
            manager=mona,
            calibration_confirmed_at=timezone.now() if person is alice else None,
        )
    EvidenceItem.objects.create(
        subject=alice,
        author=mona,
        text="The export feature.",
        scope=EVIDENCE,
        occurred_on=datetime.date(2025, 9, 1),
    )
    nomination = Nomination.objects.create(
        person=alice,
        target_family_id="engineering",
        target_track_id="ic",
        target_level_code="IC2",
        nominated_by=mona,
    )
    Endorsement.objects.create(nomination=nomination, endorser=mona, role=Endorsement.Role.MANAGER)
    return {"mona": mona, "alice": alice, "bob": bob, "carol": carol, "dan": dan, "erin": erin, "h2": h2}


def _stored() -> dict[str, tuple[object, ...]]:
    return {
        row.person.employee_id: (row.target_level_code, row.ready, row.met_count, row.criteria_count)
        for row in Readiness.objects.select_related("person")
    }


def test_what_counts_and_what_is_stored(company: dict[str, Any], version: FrameworkVersion) -> None:
    people = [company[name].pk for name in ("mona", "alice", "bob", "carol", "dan", "erin")]
    assert readiness_recompute(person_ids=people, as_of=AS_OF) == 3
    # carol is at the top of her track, dan at a level the framework lacks, erin inactive: no row.
    assert _stored() == {
        "alice": ("IC2", True, 8, 8),
        "bob": ("IC3", False, 1, 5),
        "mona": ("M2", False, 1, 5),
    }
    row = Readiness.objects.get(person=company["alice"])
    assert row.framework_version == version
    assert row.criteria == {
        "met": [True] * 8,
        # (3 + 4 + 3) / 3, the floor's lowest, craft, 2 cycles at IC2, 17 months, evidence,
        # endorsement, calibration.
        "actual": [3.333333, 3.0, 3.0, 2.0, 17.0, 1.0, 1.0, 1.0],
        "standing": {"communication": 3.0, "delivery": 4.0, "craft": 3.0},
    }
    framework = loads(version.yaml_text)
    worded = readiness_worded(row, framework, as_of=AS_OF)
    # The same as the pure evaluation of the inputs written out by hand.
    inputs = PersonInputs(
        placement=Placement("engineering", "ic", "IC1", datetime.date(2025, 1, 1)),
        cycles=(
            CycleResults("h1", datetime.date(2025, 6, 30), {"communication": 3, "delivery": 3, "craft": 3}),
            CycleResults("h2", datetime.date(2025, 12, 31), {"communication": 3, "delivery": 4, "craft": 3}),
        ),
        evidenced=frozenset({EVIDENCE}),
        endorsed=True,
        calibration_confirmed=True,
    )
    assert worded == evaluate(
        plan_readiness(framework, family="engineering", track="ic", level="IC1"), inputs, AS_OF
    )
    bob = readiness_worded(Readiness.objects.get(person=company["bob"]), framework, as_of=AS_OF)
    assert bob is not None
    assert [c.explanation for c in bob.criteria] == [
        # Peer ratings never count: craft is not rated.
        "Average 3.5 of the rated competencies — the minimum is 3.5; Software craft not rated",
        "Software craft not rated — the floor is 3",
        "2 more quarters at IC3 needed",
        "1 year, 4 months at IC2 (1 year asked)",
        "Not yet endorsed by the manager",
    ]


def test_an_input_change_recomputes_only_the_people_it_affects_after_commit(
    company: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    readiness_recompute_all(as_of=None)
    before = dict(Readiness.objects.values_list("person__employee_id", "computed_at"))
    alice, bob = company["alice"], company["bob"]
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Rating.objects.filter(subject=bob, source=Source.MANAGER, cycle=company["h2"]).update(score=5)
        readiness_inputs_changed([bob.pk, bob.pk])
        # Nothing is enqueued before the transaction commits.
        assert not DBTaskResult.objects.exists()
    ran = run_queued_tasks("trellis.web.promotions.tasks.readiness_recompute")
    assert [(task.status, task.args_kwargs["kwargs"], task.return_value) for task in ran] == [
        ("SUCCESSFUL", {"person_ids": [bob.pk]}, 1)
    ]
    after = dict(Readiness.objects.values_list("person__employee_id", "computed_at"))
    assert after["alice"] == before["alice"] and after["mona"] == before["mona"]
    assert after["bob"] > before["bob"]
    # bob's communication and delivery are now 5: the average of those rated meets 3.5, craft still missing.
    assert Readiness.objects.get(person=bob).criteria["met"] == [False, False, False, True, False]
    assert Readiness.objects.get(person=alice).ready


def test_a_rolled_back_change_enqueues_nothing(company: dict[str, Any]) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        readiness_inputs_changed([company["bob"].pk])
        raise RuntimeError("rolled back")
    assert not DBTaskResult.objects.exists()


def test_the_company_wide_recomputation_equals_the_per_person_one(
    company: dict[str, Any], hr_admin: User
) -> None:
    people = list(Person.objects.values_list("pk", flat=True))
    for person_id in people:
        readiness_recompute(person_ids=[person_id], as_of=AS_OF)
    one_by_one = sorted(
        Readiness.objects.values_list("person_id", "target_level_code", "ready", "met_count", "criteria")
    )
    assert readiness_recompute_all(actor=hr_admin, as_of=AS_OF) == (3, 1)
    together = sorted(
        Readiness.objects.values_list("person_id", "target_level_code", "ready", "met_count", "criteria")
    )
    assert together == one_by_one
    assert AuditEvent.objects.filter(action="readiness.recomputed").count() == 1


def test_a_person_who_leaves_loses_their_row(company: dict[str, Any]) -> None:
    alice = company["alice"]
    readiness_recompute(person_ids=[alice.pk], as_of=AS_OF)
    Person.objects.filter(pk=alice.pk).update(is_active=False)
    assert readiness_recompute(person_ids=[alice.pk], as_of=AS_OF) == 0
    assert not Readiness.objects.filter(person=alice).exists()


def test_without_a_published_framework_nothing_is_stored(db: None) -> None:
    person = _person("zoe", "IC1", "2025-01-01")
    assert readiness_recompute(person_ids=[person.pk], as_of=AS_OF) == 0
    assert not Readiness.objects.exists()


def test_a_cycle_s_snapshot_keeps_readiness_as_it_stood_at_its_end(company: dict[str, Any]) -> None:
    h2 = company["h2"]
    assert readiness_snapshot_cycle(cycle_id=h2.pk) == 2
    # Again: the cycle's snapshots are replaced, not added.
    assert readiness_snapshot_cycle(cycle_id=h2.pk) == 2
    rows = {
        row.person.employee_id: (
            row.as_of,
            row.target_level_code,
            row.ready,
            row.met_count,
            row.criteria_count,
            row.average,
        )
        for row in ReadinessSnapshot.objects.select_related("person")
    }
    # As of 31 December 2025 alice had 11 months at IC1 of the 12 asked; everything else was met.
    # bob: craft missing, 10 months in level, no endorsement; carol has no next level.
    assert rows == {
        "alice": (datetime.date(2025, 12, 31), "IC2", False, 7, 8, 3.333333),
        "bob": (datetime.date(2025, 12, 31), "IC3", False, 0, 5, 3.5),
    }


def test_a_level_change_and_a_publication_recompute_after_commit(
    company: dict[str, Any], hr_admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    from trellis.web.frameworks.services import framework_publish
    from trellis.web.people.services import person_update

    alice = company["alice"]
    with django_capture_on_commit_callbacks(execute=True):
        person_update(actor=hr_admin, person=alice, level_code="IC2", level_since=datetime.date(2026, 1, 1))
    ran = run_queued_tasks("trellis.web.promotions.tasks.readiness_recompute")
    assert [(task.status, task.args_kwargs["kwargs"]) for task in ran] == [
        ("SUCCESSFUL", {"person_ids": [alice.pk]})
    ]
    assert Readiness.objects.get(person=alice).target_level_code == "IC3"
    with django_capture_on_commit_callbacks(execute=True):
        version = framework_publish(actor=hr_admin)
    ran = run_queued_tasks("trellis.web.promotions.tasks.readiness_recompute_everyone")
    # mona, alice and bob (carol is at the top, dan at a level the framework lacks).
    assert [(task.status, task.return_value) for task in ran] == [("SUCCESSFUL", [3, 0])]
    assert set(Readiness.objects.values_list("framework_version", flat=True)) == {version.pk}


def test_the_command_recomputes_everyone_and_the_history(company: dict[str, Any]) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("readiness_recompute", "--as-of", "2026-06-30", "--history", stdout=out)
    assert out.getvalue().splitlines() == [
        "3 people evaluated, 1 ready",
        # 2024 H2 and 2025 H1 have no participants; 2025 H2 has alice, bob and carol (at the top).
        "2024 H2: 0 snapshots",
        "2025 H1: 0 snapshots",
        "2025 H2: 2 snapshots",
    ]
    assert ReadinessSnapshot.objects.count() == 2
    with pytest.raises(CommandError) as raised:
        call_command("readiness_recompute", "--as-of", "soon")
    assert str(raised.value) == "--as-of 'soon' is not a date: write it as YYYY-MM-DD"


def test_many_people_are_recomputed_in_chunks_with_the_same_results(
    company: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from trellis.web.promotions import readiness_services

    readiness_recompute_all(as_of=AS_OF)
    together = sorted(Readiness.objects.values_list("person_id", "ready", "met_count", "criteria"))
    monkeypatch.setattr(readiness_services, "_CHUNK", 2)
    assert readiness_recompute(person_ids=list(Person.objects.values_list("pk", flat=True)), as_of=AS_OF) == 3
    assert sorted(Readiness.objects.values_list("person_id", "ready", "met_count", "criteria")) == together
    assert readiness_snapshot_cycle(cycle_id=company["h2"].pk) == 2


def test_a_recomputation_keeps_the_rows_whose_figures_did_not_change(company: dict[str, Any]) -> None:
    readiness_recompute_all(as_of=AS_OF)
    before = {row.person_id: row for row in Readiness.objects.all()}
    assert all(bytes(row.figures_key) for row in before.values())
    readiness_recompute_all(as_of=AS_OF)
    again = {row.person_id: row for row in Readiness.objects.all()}
    # The same rows, untouched: found current today already.
    assert {p: (r.pk, r.criteria, r.computed_at) for p, r in again.items()} == {
        p: (r.pk, r.criteria, r.computed_at) for p, r in before.items()
    }
    # Found current on a later day, a row's day moves on (the day its figures are worded as of).
    Readiness.objects.update(computed_at=timezone.now() - datetime.timedelta(days=1))
    readiness_recompute_all(as_of=AS_OF)
    assert all(row.computed_at.date() == timezone.localdate() for row in Readiness.objects.all())
    assert {row.person_id: row.pk for row in Readiness.objects.all()} == {p: r.pk for p, r in before.items()}
    bob, alice = company["bob"], company["alice"]
    Rating.objects.filter(subject=bob, source=Source.MANAGER, cycle=company["h2"]).update(score=5)
    readiness_recompute(person_ids=[bob.pk], as_of=AS_OF)
    readiness_recompute_all(as_of=AS_OF)
    after = {row.person_id: row for row in Readiness.objects.all()}
    # bob's row is written anew with his new figures; alice's and mona's are kept.
    assert after[bob.pk].pk != before[bob.pk].pk
    assert after[bob.pk].criteria["standing"] == {"communication": 5.0, "delivery": 5.0}
    assert after[alice.pk].pk == before[alice.pk].pk
    assert after[company["mona"].pk].pk == before[company["mona"].pk].pk
