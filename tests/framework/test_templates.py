"""The starter library: every family at every size, alone and combined, lints clean and has the
ladder, promotions and lateral paths the specification fixes; `trellis new` and `trellis templates`
expose it on the command line."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from trellis import cli
from trellis.framework import templates
from trellis.framework.checking import check_framework
from trellis.framework.diagnostics import Diagnostic
from trellis.framework.model import Expectation, Family, Framework, LateralPath, TrackKind
from trellis.framework.references import check_references
from trellis.framework.templates import FAMILIES, SIZES, catalogue, starter
from trellis.framework.yaml_io import loads

CORE_IDS = ["communication", "ownership", "collaboration", "delivery", "technology_ai_fluency"]


def _codes(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}{number}" for number in range(first, last + 1)]


# Track id → level codes, per size, for the families with an IC and a management track.
IC_AND_MANAGEMENT_LADDERS: dict[str, dict[str, list[str]]] = {
    "startup": {"ic": _codes("IC", 1, 4)},
    "growth": {"ic": _codes("IC", 1, 6), "management": _codes("M", 1, 3)},
    "mid-size": {"ic": _codes("IC", 1, 7), "management": _codes("M", 1, 4)},
}
CUSTOMER_SUCCESS_LADDERS: dict[str, dict[str, list[str]]] = {
    "startup": {"relationship": _codes("R", 1, 4)},
    "growth": {
        "relationship": _codes("R", 1, 6),
        "strategy": _codes("S", 3, 6),
        "management": _codes("M", 1, 3),
    },
    "mid-size": {
        "relationship": _codes("R", 1, 7),
        "strategy": _codes("S", 3, 7),
        "management": _codes("M", 1, 4),
    },
}

EXPECTED_LATERAL_PATHS = {
    ("engineering", "IC4", "product", "IC4"),
    ("design", "IC4", "product", "IC4"),
    ("data", "IC4", "product", "IC4"),
    ("engineering", "IC3", "data", "IC3"),
    ("sales", "IC3", "customer-success", "R3"),
    ("operations", "IC3", "customer-success", "R3"),
    ("customer-success", "R4", "marketing", "IC4"),
    ("customer-success", "R4", "product", "IC4"),
    ("operations", "IC3", "people", "IC3"),
    ("marketing", "IC3", "sales", "IC3"),
    ("data", "IC3", "marketing", "IC3"),
}

ALL_FAMILIES = tuple(FAMILIES)


@functools.cache
def built(families: tuple[str, ...], size: str) -> Framework:
    """The starter framework, built once per test session (tests must not mutate it)."""
    return starter(families, size)


@functools.cache
def findings(families: tuple[str, ...], size: str) -> tuple[Diagnostic, ...]:
    framework = built(families, size)
    return (*check_references(framework), *check_framework(framework))


def _formatted(diagnostics: tuple[Diagnostic, ...]) -> str:
    return "\n".join(diagnostic.format() for diagnostic in diagnostics)


def _key(path: LateralPath) -> tuple[str, str, str, str]:
    return (path.source.family, path.source.level, path.destination.family, path.destination.level)


def _path_key(framework: Framework) -> set[tuple[str, str, str, str]]:
    return {_key(path) for path in framework.lateral_paths}


@functools.cache
def _core_file() -> dict[str, Any]:
    text = resources.files("trellis.framework.templates").joinpath("core.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


# --- every family, every size ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_lints_without_any_diagnostic(family: str, size: str) -> None:
    found = findings((family,), size)
    assert found == (), _formatted(found)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
def test_sizes_give_the_specified_tracks_and_level_codes(family: str, size: str) -> None:
    ladders = CUSTOMER_SUCCESS_LADDERS if family == "customer-success" else IC_AND_MANAGEMENT_LADDERS
    (sized,) = built((family,), size).families
    assert {track.id: [level.code for level in track.levels] for track in sized.tracks} == ladders[size]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
def test_every_track_assesses_the_core_then_its_functional_competencies(family: str, size: str) -> None:
    (sized,) = built((family,), size).families
    for track in sized.tracks:
        competencies = list(track.expectations)
        functional = 3 if track.kind is TrackKind.MANAGEMENT else 4
        assert competencies[:5] == CORE_IDS, track.id
        assert len(competencies) == 5 + functional, track.id
        for competency, by_level in track.expectations.items():
            assert list(by_level) == [level.code for level in track.levels], (track.id, competency)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
def test_every_functional_competency_kept_is_assessed_on_a_kept_track(family: str, size: str) -> None:
    (sized,) = built((family,), size).families
    track_ids = {track.id for track in sized.tracks}
    assessed = {competency for track in sized.tracks for competency in track.expectations}
    for competency in sized.competencies:
        assert competency.id in assessed, competency.id
        assert set(competency.tracks) <= track_ids, competency.id


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("family", FAMILIES)
def test_promotions_are_exactly_the_consecutive_steps_of_every_track(family: str, size: str) -> None:
    (sized,) = built((family,), size).families
    steps = {
        (lower.code, higher.code)
        for track in sized.tracks
        for lower, higher in zip(track.levels, track.levels[1:], strict=False)
    }
    promotions = [(criteria.from_level, criteria.to_level) for criteria in sized.promotions]
    assert sorted(promotions) == sorted(steps)
    for criteria in sized.promotions:
        assert criteria.manager_endorsement and criteria.calibration
        assert len(criteria.scope_evidence) + len(criteria.outcomes) >= 1
        assert criteria.min_average is not None and criteria.floor is not None
        assert criteria.floor <= criteria.min_average


@pytest.mark.parametrize("size", ["growth", "mid-size"])
@pytest.mark.parametrize("family", FAMILIES)
def test_management_branches_off_at_grade_four_and_allows_moving_back(family: str, size: str) -> None:
    (sized,) = built((family,), size).families
    management = sized.track("management")
    assert management is not None and management.crossover is not None
    first_track = sized.tracks[0]
    assert management.crossover.to_level == "M1"
    assert first_track.grade_of(management.crossover.from_level) == 4
    assert management.crossover.two_way is True
    assert management.crossover.entry_criteria


# --- the whole library -----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_whole_library_lints_without_any_diagnostic(size: str) -> None:
    found = findings(ALL_FAMILIES, size)
    assert found == (), _formatted(found)


@pytest.mark.parametrize("size", SIZES)
def test_whole_library_keeps_every_lateral_path(size: str) -> None:
    assert _path_key(built(ALL_FAMILIES, size)) == EXPECTED_LATERAL_PATHS


def test_lateral_paths_are_documented_at_mid_size_and_brief_below() -> None:
    documented = {_key(path): path for path in built(ALL_FAMILIES, "mid-size").lateral_paths}
    for path in documented.values():
        assert path.description
        assert 2 <= len(path.actions) <= 3
        assert path.transferable and path.gaps
    for size in ("startup", "growth"):
        for path in built(ALL_FAMILIES, size).lateral_paths:
            full = documented[_key(path)]
            assert path.description == ""
            assert path.actions == []
            assert path.transferable == full.transferable
            assert path.gaps == full.gaps


def test_lateral_gap_targets_are_what_the_destination_level_expects() -> None:
    framework = built(ALL_FAMILIES, "mid-size")
    for path in framework.lateral_paths:
        destination = framework.family(path.destination.family)
        assert destination is not None
        located = destination.find_level(path.destination.level)
        assert located is not None
        track, _ = located
        for gap in path.gaps:
            expected = track.expectations[gap.competency][path.destination.level]
            assert gap.target == expected.proficiency, (path.source.family, path.destination.family, gap)


def test_lateral_transferable_competencies_are_assessed_at_one_end_of_the_path() -> None:
    framework = built(ALL_FAMILIES, "mid-size")
    for path in framework.lateral_paths:
        assessed: set[str] = set()
        for end in (path.source, path.destination):
            family = framework.family(end.family)
            assert family is not None
            located = family.find_level(end.level)
            assert located is not None
            assessed.update(located[0].expectations)
        assert set(path.transferable) <= assessed, (path.source, path.destination)
        assert {gap.competency for gap in path.gaps}.isdisjoint(path.transferable)


def test_lateral_paths_need_both_families_selected() -> None:
    assert built(("engineering",), "mid-size").lateral_paths == []
    assert _path_key(built(("engineering", "product"), "mid-size")) == {
        ("engineering", "IC4", "product", "IC4")
    }
    assert _path_key(built(("product", "design", "data", "engineering"), "growth")) == {
        ("engineering", "IC4", "product", "IC4"),
        ("design", "IC4", "product", "IC4"),
        ("data", "IC4", "product", "IC4"),
        ("engineering", "IC3", "data", "IC3"),
    }


# --- how starter() assembles a framework -----------------------------------------------------


def test_core_expectations_come_from_core_yaml_by_track_kind_and_grade() -> None:
    behaviours = _core_file()["behaviours"]
    (engineering,) = built(("engineering",), "mid-size").families
    for track in engineering.tracks:
        kind = "management" if track.kind is TrackKind.MANAGEMENT else "ic"
        for competency in CORE_IDS:
            for level in track.levels:
                generic = behaviours[kind][competency][track.grade_of(level.code)]
                assert track.expectations[competency][level.code] == Expectation(**generic)


def test_a_family_s_own_core_expectation_wins_over_the_generic_one(monkeypatch: pytest.MonkeyPatch) -> None:
    original = templates._family("engineering")
    own = Expectation(proficiency=2, behaviour="Writes release notes for every change the team ships.")
    track = original.tracks[0].model_copy(
        update={"expectations": {"communication": {"IC2": own}, **original.tracks[0].expectations}}
    )
    changed = original.model_copy(update={"tracks": [track, *original.tracks[1:]]})
    monkeypatch.setattr(templates, "_family", lambda family_id: changed)
    (engineering,) = starter(["engineering"], "growth").families
    communication = engineering.tracks[0].expectations["communication"]
    assert communication["IC2"] == own
    generic = _core_file()["behaviours"]["ic"]["communication"]
    assert communication["IC3"] == Expectation(**generic[3])
    assert list(engineering.tracks[0].expectations)[:5] == CORE_IDS


def test_core_competencies_are_the_five_shared_ones_with_descriptions() -> None:
    framework = built(("design",), "startup")
    assert [c.id for c in framework.core_competencies] == CORE_IDS
    assert all(c.description and c.category == "Core" for c in framework.core_competencies)


def test_name_defaults_to_the_family_names_and_can_be_given() -> None:
    assert built(("engineering",), "growth").name == "Engineering career framework"
    assert starter(["engineering", "product"], "growth").name == "Engineering and Product career framework"
    assert (
        starter(["data", "design", "product"], "growth").name == "Data, Design and Product career framework"
    )
    assert starter(["engineering"], "growth", name="Acme").name == "Acme"


def test_families_keep_the_order_given_and_repeats_are_ignored() -> None:
    framework = starter(["product", "engineering", "product"], "startup")
    assert [family.id for family in framework.families] == ["product", "engineering"]


def test_changing_a_built_framework_leaves_the_library_unchanged() -> None:
    framework = starter(["engineering"], "mid-size")
    track = framework.families[0].tracks[0]
    track.levels[0].name = "Changed"
    track.expectations["communication"]["IC1"].behaviour = "Changed."
    framework.families[0].promotions[0].min_average = 1.0
    fresh = starter(["engineering"], "mid-size")
    assert fresh.families[0].tracks[0].levels[0].name == "Foundation"
    assert fresh.families[0].tracks[0].expectations["communication"]["IC1"].behaviour != "Changed."
    assert fresh.families[0].promotions[0].min_average == 2.0
    assert fresh == built(("engineering",), "mid-size")


@pytest.mark.parametrize(
    ("families", "size", "message"),
    [
        (["finance"], "growth", 'unknown family "finance" (choose from engineering, product, design,'),
        (["engineering"], "huge", 'unknown size "huge" (choose from startup, growth, mid-size)'),
        ([], "growth", "choose at least one family"),
    ],
)
def test_unknown_family_or_size_is_a_value_error_naming_the_choices(
    families: list[str], size: str, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        starter(families, size)
    assert str(raised.value).startswith(message)


def test_catalogue_lists_every_family_with_its_tracks() -> None:
    entries = catalogue()
    assert [entry.id for entry in entries] == list(FAMILIES)
    for entry in entries:
        assert entry.name and entry.description
        assert len(entry.tracks) in (2, 3)
    by_id = {entry.id: entry for entry in entries}
    assert by_id["engineering"].tracks == ("Individual contributor", "Engineering management")
    assert len(by_id["customer-success"].tracks) == 3


def test_every_family_file_holds_the_family_named_by_its_file() -> None:
    for family_id in FAMILIES:
        family = templates._family(family_id)
        assert isinstance(family, Family)
        assert family.id == family_id


# --- the command line ------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_trellis_new_writes_the_whole_library_and_trellis_lint_accepts_it(
    size: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "framework.yaml"
    arguments = ["new", "--size", size, "-o", str(output)]
    for family in FAMILIES:
        arguments += ["--family", family]
    assert cli.main(arguments) == cli.EXIT_CLEAN
    assert loads(output.read_bytes(), str(output)) == built(ALL_FAMILIES, size)
    assert cli.main(["lint", str(output)]) == cli.EXIT_CLEAN
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "1 file checked: 0 errors, 0 warnings\n"


def test_trellis_new_names_the_framework(tmp_path: Path) -> None:
    output = tmp_path / "acme.yaml"
    assert (
        cli.main(["new", "--family", "design", "--size", "startup", "--name", "Acme", "-o", str(output)]) == 0
    )
    assert loads(output.read_bytes()) == starter(["design"], "startup", name="Acme")


def test_trellis_templates_lists_the_nine_families(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["templates"]) == cli.EXIT_CLEAN
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(FAMILIES)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--family", "finance", "--size", "growth"],
            "trellis new: --family finance: unknown family (choose from engineering, product, design, "
            "data, marketing, sales, customer-success, people, operations)\n",
        ),
        (
            ["--family", "engineering", "--size", "huge"],
            "trellis new: --size huge: unknown size (choose from startup, growth, mid-size)\n",
        ),
    ],
)
def test_trellis_new_rejects_an_unknown_family_or_size_and_writes_nothing(
    arguments: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "framework.yaml"
    assert cli.main(["new", *arguments, "-o", str(output)]) == cli.EXIT_USAGE
    assert capsys.readouterr().err == message
    assert not output.exists()


def test_every_library_file_is_shipped_as_package_data() -> None:
    # An editable install reads the files from the source tree, so only the wheel would miss one.
    root = Path(__file__).resolve().parents[2]
    patterns = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["trellis.framework"]
    package = root / "src" / "trellis" / "framework"
    shipped = {file for pattern in patterns for file in package.glob(pattern)}
    library = sorted((package / "templates").rglob("*.yaml"))
    assert len(library) == 2 + len(FAMILIES)
    missing = [file.relative_to(package).as_posix() for file in library if file not in shipped]
    assert missing == [], "add a package-data pattern to pyproject.toml for these files"
