"""Classifying the changes between two frameworks as structural or wording."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.framework.matrix_strategies import FAMILY_ID, FAMILY_NAME, matrix_frameworks
from tests.framework.strategies import frameworks
from trellis.cli import main
from trellis.framework import wording
from trellis.framework.addresses import (
    CompetencyAddress,
    CoreOverrideAddress,
    CrossoverAddress,
    ExpectationAddress,
    FrameworkAddress,
    GapAddress,
    LateralRouteAddress,
    LevelAddress,
    LevelPlace,
    PromotionAddress,
    ScalePointAddress,
)
from trellis.framework.classification import THINGS, field_kind
from trellis.framework.diff import VALUE_LIMIT, Change, FrameworkDiff, diff
from trellis.framework.matrix import export_matrix_xlsx, import_matrix_bytes
from trellis.framework.model import (
    CompensationBand,
    Competency,
    CompetencyOverride,
    Crossover,
    Expectation,
    Family,
    Framework,
    Gap,
    LateralPath,
    Level,
    LevelRef,
    PromotionCriteria,
    RatingPoint,
    RequiredCompetency,
    TimeAtLevel,
    Track,
    TrackKind,
)
from trellis.framework.yaml_io import dumps


def expectation(proficiency: int, behaviour: str) -> Expectation:
    return Expectation(proficiency=proficiency, behaviour=behaviour)


def level(code: str, title: str) -> Level:
    return Level(code=code, name=title, title=title)


def base() -> Framework:
    ic = Track(
        id="ic",
        name="Individual contributor",
        levels=[level("IC1", "Engineer"), level("IC2", "Senior Engineer"), level("IC3", "Staff Engineer")],
        expectations={
            "system_design": {
                "IC1": expectation(2, "Designs small components with guidance."),
                "IC2": expectation(3, "Designs services that other teams depend on."),
                "IC3": expectation(4, "Sets the architecture of a product area."),
            },
            "communication": {
                "IC1": expectation(2, "Writes clear updates."),
                "IC2": expectation(3, "Explains trade-offs to the team."),
                "IC3": expectation(4, "Aligns several teams on a direction."),
            },
        },
    )
    management = Track(
        id="management",
        name="Management",
        kind=TrackKind.MANAGEMENT,
        crossover=Crossover(from_level="IC3", to_level="M1", entry_criteria=["Has mentored two engineers."]),
        levels=[level("M1", "Engineering Manager"), level("M2", "Senior Engineering Manager")],
        expectations={
            "communication": {
                "M1": expectation(3, "Runs clear team meetings."),
                "M2": expectation(4, "Communicates strategy across teams."),
            }
        },
    )
    engineering = Family(
        id="engineering",
        name="Engineering",
        competencies=[Competency(id="system_design", name="System design", category="Technical")],
        tracks=[ic, management],
        promotions=[
            PromotionCriteria(
                from_level="IC1",
                to_level="IC2",
                min_average=3.5,
                floor=3,
                required=[RequiredCompetency(competency="system_design", minimum=3)],
                scope_evidence=["Led a project with three stakeholders."],
            )
        ],
    )
    product = Family(
        id="product",
        name="Product",
        competencies=[Competency(id="discovery", name="Discovery")],
        tracks=[
            Track(
                id="ic",
                name="Individual contributor",
                levels=[level("P1", "Product Manager"), level("P2", "Senior Product Manager")],
                expectations={
                    "discovery": {
                        "P1": expectation(2, "Runs interviews."),
                        "P2": expectation(4, "Frames bets."),
                    }
                },
            )
        ],
    )
    return Framework(
        name="Acme",
        core_competencies=[Competency(id="communication", name="Communication", category="Core")],
        families=[engineering, product],
        lateral_paths=[
            LateralPath(
                source=LevelRef(family="engineering", level="IC2"),
                destination=LevelRef(family="product", level="P2"),
                transferable=["communication"],
                gaps=[Gap(competency="discovery", target=3, note="Shadow two discovery cycles.")],
                actions=["Pair with a product manager for a quarter."],
            )
        ],
    )


def edited(change: Callable[[Framework], object]) -> Framework:
    framework = base().model_copy(deep=True)
    change(framework)
    return framework


def engineering(framework: Framework) -> Family:
    family = framework.family("engineering")
    assert family is not None
    return family


def ic(framework: Framework) -> Track:
    track = engineering(framework).track("ic")
    assert track is not None
    return track


def management(framework: Framework) -> Track:
    track = engineering(framework).track("management")
    assert track is not None
    return track


def changes_after(change: Callable[[Framework], object]) -> list[str]:
    return [c.describe() for c in diff(base(), edited(change)).changes]


S, W = "structural", "wording"


# --- nothing, or words only -----------------------------------------------------------------------


def test_identical_frameworks_have_no_changes() -> None:
    result = diff(base(), base())
    assert result.changes == []
    assert result.is_empty
    assert not result.is_structural
    assert result.format_text() == "No changes.\n"
    assert result.to_json() == {
        "is_structural": False,
        "summary": {"structural": 0, "wording": 0},
        "changes": [],
    }


def test_wording_only_edits() -> None:
    def reword(framework: Framework) -> None:
        framework.name = "Acme Inc"
        framework.scale.points[0].label = "Beginner"
        framework.core_competencies[0].description = "Shares information clearly."
        engineering(framework).competencies[0].name = "Systems design"
        ic(framework).levels[2].title = "Staff Software Engineer"
        ic(framework).levels[2].title_variants = ["Tech Lead"]
        ic(framework).levels[0].summary = "Works on well-defined tasks."
        ic(framework).expectations["system_design"][
            "IC3"
        ].behaviour = "Shapes the architecture of a product area."
        management(framework).crossover.entry_criteria.append("Has run a project.")  # type: ignore[union-attr]
        engineering(framework).promotions[0].scope_evidence = ["Led a project with four stakeholders."]
        framework.lateral_paths[0].actions = ["Pair with a product manager."]
        framework.lateral_paths[0].gaps[0].note = "Shadow one discovery cycle."

    result = diff(base(), edited(reword))
    route = LateralRouteAddress(LevelPlace("engineering", "IC2"), LevelPlace("product", "P2"))
    route_label = "Engineering · IC2 → Product · P2"
    assert result.changes == [
        Change(W, "reworded", "framework", FrameworkAddress(), "Framework", "Acme", "Acme Inc", "name"),
        Change(
            W,
            "reworded",
            "scale point",
            ScalePointAddress(1),
            "Rating scale · 1",
            "Learning",
            "Beginner",
            "label",
        ),
        Change(
            W,
            "reworded",
            "competency",
            CompetencyAddress(None, "communication"),
            "Core competencies · Communication",
            None,
            "Shares information clearly.",
            "description",
        ),
        Change(
            W,
            "reworded",
            "competency",
            CompetencyAddress("engineering", "system_design"),
            "Engineering · Systems design",
            "System design",
            "Systems design",
            "name",
        ),
        Change(
            W,
            "reworded",
            "crossover",
            CrossoverAddress("engineering", "management"),
            "Engineering · Management · Crossover",
            "Has mentored two engineers.",
            "Has mentored two engineers.; Has run a project.",
            "entry criteria",
        ),
        Change(
            W,
            "reworded",
            "level",
            LevelAddress("engineering", "ic", "IC1"),
            "Engineering · Individual contributor · IC1",
            None,
            "Works on well-defined tasks.",
            "summary",
        ),
        Change(
            W,
            "reworded",
            "level",
            LevelAddress("engineering", "ic", "IC3"),
            "Engineering · Individual contributor · IC3",
            "Staff Engineer",
            "Staff Software Engineer",
            "title",
        ),
        Change(
            W,
            "reworded",
            "level",
            LevelAddress("engineering", "ic", "IC3"),
            "Engineering · Individual contributor · IC3",
            None,
            "Tech Lead",
            "title variants",
        ),
        Change(
            W,
            "reworded",
            "expectation",
            ExpectationAddress("engineering", "ic", "system_design", "IC3"),
            "Engineering · Individual contributor · IC3 · Systems design",
            "Sets the architecture of a product area.",
            "Shapes the architecture of a product area.",
            "behaviour",
        ),
        Change(
            W,
            "reworded",
            "promotion criteria",
            PromotionAddress("engineering", "IC1", "IC2"),
            "Engineering · IC1 → IC2",
            "Led a project with three stakeholders.",
            "Led a project with four stakeholders.",
            "scope evidence",
        ),
        Change(
            W,
            "reworded",
            "lateral path",
            route,
            route_label,
            "Pair with a product manager for a quarter.",
            "Pair with a product manager.",
            "actions",
        ),
        Change(
            W,
            "reworded",
            "gap",
            GapAddress(route, "discovery"),
            route_label + " · Discovery",
            "Shadow two discovery cycles.",
            "Shadow one discovery cycle.",
            "note",
        ),
    ]
    assert not result.is_structural
    assert result.structural == []
    assert result.wording == result.changes


# --- levels ---------------------------------------------------------------------------------------


def test_level_added_reports_the_level_not_its_expectations() -> None:
    def add(framework: Framework) -> None:
        track = ic(framework)
        track.levels.append(level("IC4", "Principal Engineer"))
        track.expectations["system_design"]["IC4"] = expectation(5, "Sets direction for the company.")

    assert changes_after(add) == ["+ level Engineering · Individual contributor · IC4 added"]


def test_level_removed() -> None:
    def remove(framework: Framework) -> None:
        track = ic(framework)
        track.levels.pop(0)
        for by_level in track.expectations.values():
            del by_level["IC1"]

    assert diff(base(), edited(remove)).changes == [
        Change(
            S,
            "removed",
            "level",
            LevelAddress("engineering", "ic", "IC1"),
            "Engineering · Individual contributor · IC1",
        )
    ]


def test_level_inserted_first_does_not_move_the_others() -> None:
    assert changes_after(lambda f: ic(f).levels.insert(0, level("IC0", "Intern"))) == [
        "+ level Engineering · Individual contributor · IC0 added"
    ]


def test_levels_swapped_report_one_move() -> None:
    def swap(framework: Framework) -> None:
        levels = ic(framework).levels
        levels[1], levels[2] = levels[2], levels[1]

    assert changes_after(swap) == [
        "> level Engineering · Individual contributor · IC2 moved from"
        " Engineering · Individual contributor · position 2 to Engineering · Individual contributor · position 3"
    ]


def test_level_moved_to_another_track_keeps_its_expectations_matched() -> None:
    def move(framework: Framework) -> None:
        moved = ic(framework).levels.pop()
        management(framework).levels.insert(0, moved)
        for competency_id, by_level in ic(framework).expectations.items():
            behaviour = by_level.pop("IC3")
            if competency_id == "communication":
                management(framework).expectations["communication"]["IC3"] = behaviour

    result = diff(base(), edited(move))
    assert result.changes == [
        Change(
            S,
            "moved",
            "level",
            LevelAddress("engineering", "management", "IC3"),
            "Engineering · Management · IC3",
            "Engineering · Individual contributor · position 3",
            "Engineering · Management · position 1",
        ),
        Change(
            S,
            "removed",
            "expectation",
            ExpectationAddress("engineering", "ic", "system_design", "IC3"),
            "Engineering · Individual contributor · IC3 · System design",
        ),
    ]


def test_level_structure_fields() -> None:
    def change(framework: Framework) -> None:
        target = ic(framework).levels[1]
        target.grade = 3
        target.band = CompensationBand(minimum=120000, maximum=150000, currency="EUR")
        target.min_months_in_level = 12

    assert changes_after(change) == [
        "~ Engineering · Individual contributor · IC2 grade changed: none -> 3",
        "~ Engineering · Individual contributor · IC2 band changed: none -> EUR 120,000–150,000",
        "~ Engineering · Individual contributor · IC2 min months in level changed: none -> 1 year",
    ]


def test_values_read_as_trellis_words_them_everywhere() -> None:
    """Bands, durations and numbers in a change read as `trellis.framework.wording` words them on
    the pages and in the exports."""

    def change(framework: Framework) -> None:
        target = ic(framework).levels[1]
        target.band = CompensationBand(minimum=90000, maximum=120000.5, currency="EUR")
        target.min_months_in_level = 18
        criteria = engineering(framework).promotions[0]
        criteria.time_at_next_level = TimeAtLevel(count=1)
        criteria.required[0].minimum = 3.25

    result = changes_after(change)
    assert result == [
        "~ Engineering · Individual contributor · IC2 band changed: none -> EUR 90,000–120,000.50",
        "~ Engineering · Individual contributor · IC2 min months in level changed: none -> 1 year, 6 months",
        "~ Engineering · IC1 → IC2 time at next level changed: none -> 1 quarter",
        "~ Engineering · IC1 → IC2 · System design minimum changed: 3 -> 3.25",
    ]
    assert wording.band(CompensationBand(minimum=90000, maximum=120000.5, currency="EUR")) in result[0]
    assert result[1].endswith(wording.months(18))


# --- expectations and competencies ----------------------------------------------------------------


def test_proficiency_is_structural_and_behaviour_is_wording() -> None:
    def change(framework: Framework) -> None:
        cell = ic(framework).expectations["system_design"]["IC2"]
        cell.proficiency = 4
        cell.behaviour = "Designs services for several teams."

    result = diff(base(), edited(change))
    address = ExpectationAddress("engineering", "ic", "system_design", "IC2")
    label = "Engineering · Individual contributor · IC2 · System design"
    assert result.changes == [
        Change(S, "changed", "expectation", address, label, "3", "4", "proficiency"),
        Change(
            W,
            "reworded",
            "expectation",
            address,
            label,
            "Designs services that other teams depend on.",
            "Designs services for several teams.",
            "behaviour",
        ),
    ]
    assert result.is_structural
    assert [c.describe() for c in result.changes] == [
        "~ Engineering · Individual contributor · IC2 · System design proficiency changed: 3 -> 4",
        "~ Engineering · Individual contributor · IC2 · System design behaviour reworded",
    ]


def test_expectation_added_and_removed_within_an_assessed_competency() -> None:
    without = edited(lambda f: ic(f).expectations["communication"].pop("IC1"))
    assert [c.describe() for c in diff(base(), without).changes] == [
        "- expectation Engineering · Individual contributor · IC1 · Communication removed"
    ]
    assert diff(without, base()).changes == [
        Change(
            S,
            "added",
            "expectation",
            ExpectationAddress("engineering", "ic", "communication", "IC1"),
            "Engineering · Individual contributor · IC1 · Communication",
        )
    ]


def test_competency_row_added_to_a_track_is_reported_once() -> None:
    def add(framework: Framework) -> None:
        management(framework).expectations["system_design"] = {
            "M1": expectation(3, "Reviews designs."),
            "M2": expectation(4, "Owns the architecture roadmap."),
        }

    assert changes_after(add) == ["+ competency Engineering · Management · System design added"]


def test_competency_row_removed_from_a_track() -> None:
    assert changes_after(lambda f: ic(f).expectations.pop("communication")) == [
        "- competency Engineering · Individual contributor · Communication removed"
    ]


def test_competency_moved_between_families() -> None:
    def move(framework: Framework) -> None:
        competency = engineering(framework).competencies.pop()
        product = framework.family("product")
        assert product is not None
        product.competencies.append(competency)

    assert diff(base(), edited(move)).changes == [
        Change(
            S,
            "moved",
            "competency",
            CompetencyAddress("product", "system_design"),
            "Product · System design",
            "Engineering",
            "Product",
        ),
    ]


def test_core_competency_moved_into_a_family_and_reworded() -> None:
    def move(framework: Framework) -> None:
        competency = framework.core_competencies.pop()
        competency.name = "Written communication"
        engineering(framework).competencies.append(competency)

    assert changes_after(move) == [
        "> competency Engineering · Written communication moved from Core competencies to Engineering",
        "~ Engineering · Written communication name reworded",
    ]


def test_competencies_added_and_removed_and_track_limits() -> None:
    def change(framework: Framework) -> None:
        engineering(framework).competencies[0].tracks = ["ic"]
        engineering(framework).competencies.append(
            Competency(id="incident_response", name="Incident response")
        )
        framework.core_competencies.append(Competency(id="ownership", name="Ownership"))
        product = framework.family("product")
        assert product is not None
        product.competencies = []

    assert changes_after(change) == [
        "+ competency Core competencies · Ownership added",
        "~ Engineering · System design tracks changed: none -> ic",
        "+ competency Engineering · Incident response added",
        "- competency Product · Discovery removed",
    ]


def test_reordering_competencies_and_tracks_is_not_a_change() -> None:
    def reorder(framework: Framework) -> None:
        family = engineering(framework)
        family.tracks.reverse()
        ic(framework).expectations = dict(reversed(list(ic(framework).expectations.items())))
        framework.families.reverse()

    assert diff(base(), edited(reorder)).is_empty


# --- tracks, families, scale ----------------------------------------------------------------------


def test_track_kind_and_crossover() -> None:
    def change(framework: Framework) -> None:
        management(framework).kind = TrackKind.NAMED
        management(framework).crossover = Crossover(from_level="IC2", to_level="M1", two_way=False)

    assert changes_after(change) == [
        "~ Engineering · Management kind changed: management -> named",
        "~ Engineering · Management · Crossover from level changed: IC3 -> IC2",
        "~ Engineering · Management · Crossover two way changed: yes -> no",
        "~ Engineering · Management · Crossover entry criteria reworded",
    ]


def test_crossover_removed() -> None:
    assert changes_after(lambda f: setattr(management(f), "crossover", None)) == [
        "- crossover Engineering · Management · Crossover removed (IC3 → M1)"
    ]


def test_track_added_and_removed_without_per_level_noise() -> None:
    def change(framework: Framework) -> None:
        family = engineering(framework)
        family.tracks = [t for t in family.tracks if t.id != "management"]
        family.tracks.append(
            Track(id="staff", name="Staff", kind=TrackKind.NAMED, levels=[level("S1", "Staff")])
        )

    assert changes_after(change) == [
        "- track Engineering · Management removed",
        "+ track Engineering · Staff added",
    ]


def test_family_added_and_removed() -> None:
    def change(framework: Framework) -> None:
        framework.families = [engineering(framework), Family(id="design", name="Design")]
        framework.lateral_paths = []

    assert changes_after(change) == [
        "- family Product removed",
        "+ family Design added",
        "- lateral path Engineering · IC2 → Product · P2 removed",
    ]


def test_scale_points() -> None:
    def change(framework: Framework) -> None:
        framework.scale.points.pop()
        framework.scale.points.append(RatingPoint(value=6, label="Exceptional"))

    result = diff(base(), edited(change))
    assert result.changes == [
        Change(S, "removed", "scale point", ScalePointAddress(5), "Rating scale · 5"),
        Change(S, "added", "scale point", ScalePointAddress(6), "Rating scale · 6"),
    ]


# --- promotions and lateral paths -----------------------------------------------------------------


def test_promotion_criteria() -> None:
    def change(framework: Framework) -> None:
        criteria = engineering(framework).promotions[0]
        criteria.min_average = 3.75
        criteria.time_at_next_level = TimeAtLevel(count=2)
        criteria.calibration = False
        criteria.required[0].minimum = 3.5
        criteria.required.append(RequiredCompetency(competency="communication", minimum=3))
        engineering(framework).promotions.append(PromotionCriteria(from_level="IC2", to_level="IC3"))

    assert changes_after(change) == [
        "~ Engineering · IC1 → IC2 min average changed: 3.5 -> 3.75",
        "~ Engineering · IC1 → IC2 time at next level changed: none -> 2 quarters",
        "~ Engineering · IC1 → IC2 calibration changed: yes -> no",
        "~ Engineering · IC1 → IC2 · System design minimum changed: 3 -> 3.5",
        "+ required competency Engineering · IC1 → IC2 · Communication added",
        "+ promotion criteria Engineering · IC2 → IC3 added",
    ]


def test_lateral_path_structure() -> None:
    def change(framework: Framework) -> None:
        path = framework.lateral_paths[0]
        path.transferable = ["communication", "system_design"]
        path.gaps[0].target = 4
        path.gaps.append(Gap(competency="system_design"))

    assert changes_after(change) == [
        "~ Engineering · IC2 → Product · P2 transferable changed: communication -> communication; system_design",
        "~ Engineering · IC2 → Product · P2 · Discovery target changed: 3 -> 4",
        "+ gap Engineering · IC2 → Product · P2 · System design added",
    ]


def test_lateral_path_endpoint_change_is_a_removal_and_an_addition() -> None:
    def change(framework: Framework) -> None:
        framework.lateral_paths[0].destination = LevelRef(family="product", level="P1")

    assert changes_after(change) == [
        "- lateral path Engineering · IC2 → Product · P2 removed",
        "+ lateral path Engineering · IC2 → Product · P1 added",
    ]


# --- reports --------------------------------------------------------------------------------------


def mixed() -> FrameworkDiff:
    def change(framework: Framework) -> None:
        ic(framework).levels.append(level("IC4", "Principal Engineer"))
        ic(framework).expectations["system_design"]["IC2"].behaviour = "Designs services for several teams."

    return diff(base(), edited(change))


def test_format_text_groups_structural_and_wording() -> None:
    assert mixed().format_text() == (
        "Structural changes\n"
        "+ level Engineering · Individual contributor · IC4 added\n"
        "\n"
        "Wording changes\n"
        "~ Engineering · Individual contributor · IC2 · System design behaviour reworded\n"
        "\n"
        "1 structural, 1 wording changes\n"
    )


def test_to_json() -> None:
    assert mixed().to_json() == {
        "is_structural": True,
        "summary": {"structural": 1, "wording": 1},
        "changes": [
            {
                "kind": "structural",
                "action": "added",
                "subject": "level",
                "address": {"kind": "level", "family": "engineering", "track": "ic", "level": "IC4"},
                "label": "Engineering · Individual contributor · IC4",
                "field": "",
                "old": None,
                "new": None,
                "text": "+ level Engineering · Individual contributor · IC4 added",
            },
            {
                "kind": "wording",
                "action": "reworded",
                "subject": "expectation",
                "address": {
                    "kind": "expectation",
                    "family": "engineering",
                    "track": "ic",
                    "competency": "system_design",
                    "level": "IC2",
                },
                "label": "Engineering · Individual contributor · IC2 · System design",
                "field": "behaviour",
                "old": "Designs services that other teams depend on.",
                "new": "Designs services for several teams.",
                "text": "~ Engineering · Individual contributor · IC2 · System design behaviour reworded",
            },
        ],
    }


def test_changes_keep_whole_values_and_only_their_text_shortens_them() -> None:
    skills = sorted(f"skill_{number}" for number in range(30))

    def change(framework: Framework) -> None:
        ic(framework).levels[0].summary = "word " * 60
        framework.lateral_paths[0].transferable = skills

    summary, transferable = diff(base(), edited(change)).changes
    assert summary.new == ("word " * 60).strip()
    assert transferable.new == "; ".join(skills)
    assert transferable.describe() == (
        "~ Engineering · IC2 → Product · P2 transferable changed: communication -> "
        + "; ".join(skills)[: VALUE_LIMIT - 1]
        + "…"
    )


def test_lateral_path_with_tracks_and_core_wording() -> None:
    def change(framework: Framework) -> None:
        framework.lateral_paths[0].source = LevelRef(family="engineering", track="ic", level="IC2")
        engineering(framework).core_overrides["communication"] = CompetencyOverride(name="Technical writing")

    route = LateralRouteAddress(LevelPlace("engineering", "IC2", "ic"), LevelPlace("product", "P2"))
    assert diff(base(), edited(change)).changes == [
        Change(
            W,
            "added",
            "core override",
            CoreOverrideAddress("engineering", "communication"),
            "Engineering · Technical writing",
        ),
        Change(
            S,
            "removed",
            "lateral path",
            LateralRouteAddress(LevelPlace("engineering", "IC2"), LevelPlace("product", "P2")),
            "Engineering · IC2 → Product · P2",
        ),
        Change(
            S, "added", "lateral path", route, "Engineering · Individual contributor · IC2 → Product · P2"
        ),
    ]


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture
def framework_files(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(dumps(base()), encoding="utf-8")
    changed = base()
    ic(changed).levels.append(level("IC4", "Principal Engineer"))
    ic(changed).expectations["system_design"]["IC2"].behaviour = "Designs services for several teams."
    new.write_text(dumps(changed), encoding="utf-8")
    return old, new


def test_cli_diff_text(framework_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = framework_files
    assert main(["diff", str(old), str(new)]) == 0
    assert capsys.readouterr().out == mixed().format_text()


def test_cli_diff_json(framework_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = framework_files
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == mixed().to_json()


def test_cli_diff_of_a_file_with_itself(
    framework_files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, _ = framework_files
    assert main(["diff", str(old), str(old)]) == 0
    assert capsys.readouterr().out == "No changes.\n"


# --- properties -----------------------------------------------------------------------------------


# The shared framework strategy is costly to draw (the diff itself takes well under a millisecond).
def assert_classified(result: FrameworkDiff) -> None:
    """Every change has the kind the one classification gives it: a field's by `FIELDS`, an
    addition's or removal's by `THINGS`; a move is structural."""
    for change in result.changes:
        if change.action == "moved":
            expected = "structural"
        elif change.action in ("added", "removed"):
            expected = THINGS[change.address.kind]
        else:
            expected = field_kind(change.address.kind, change.field.replace(" ", "_"))
        assert change.kind == expected, change.describe()


def test_every_change_is_classified_by_the_one_table() -> None:
    assert_classified(mixed())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(frameworks())
def test_a_framework_compared_with_a_copy_of_itself_has_no_changes(framework: Framework) -> None:
    assert diff(framework, framework.model_copy(deep=True)).is_empty


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(matrix_frameworks(), matrix_frameworks())
def test_any_two_frameworks_give_a_consistent_report(old: Framework, new: Framework) -> None:
    result = diff(old, new)
    assert result.structural + result.wording == sorted(
        result.changes, key=lambda change: change.kind != "structural"
    )
    assert result.is_structural == bool(result.structural)
    assert_classified(result)
    assert result.format_text().endswith(
        f"{len(result.structural)} structural, {len(result.wording)} wording changes\n"
        if result.changes
        else "No changes.\n"
    )
    json.dumps(result.to_json())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrix_frameworks())
def test_a_matrix_round_trip_has_no_changes(framework: Framework) -> None:
    again = import_matrix_bytes(export_matrix_xlsx(framework, FAMILY_ID), "export.xlsx", family=FAMILY_NAME)
    assert diff(framework, again).format_text() == "No changes.\n"
