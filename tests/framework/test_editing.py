"""The editor's pure edits: what each one changes, what it follows up, what it needs permission for,
and that the framework it is given never changes."""

from __future__ import annotations

import pytest

from trellis.framework.checking import check_framework
from trellis.framework.classification import field_kind
from trellis.framework.diff import STRUCTURAL as DIFF_STRUCTURAL
from trellis.framework.diff import diff
from trellis.framework.editing import (
    EDITABLE_FIELDS,
    STRUCTURE,
    Address,
    CompetencyAdd,
    CompetencyAddress,
    CompetencyRemove,
    CompetencyRename,
    CrossoverAddress,
    CrossoverRemove,
    EditError,
    ExpectationAddress,
    FamilyAdd,
    FamilyAddress,
    FamilyRemove,
    FamilyRename,
    FrameworkAddress,
    LateralPathAdd,
    LateralPathAddress,
    LateralPathRemove,
    LevelAdd,
    LevelAddress,
    LevelMove,
    LevelRemove,
    LevelRename,
    Need,
    NotFound,
    PromotionAdd,
    PromotionAddress,
    PromotionRemove,
    SetFields,
    TrackAdd,
    TrackAddress,
    TrackRemove,
    TrackRename,
    address_of,
    apply_edits,
    merge_family,
)
from trellis.framework.matrix import read_matrix
from trellis.framework.model import (
    CompensationBand,
    Framework,
    Gap,
    LevelRef,
    TimeAtLevel,
    TimeUnit,
    TrackKind,
)
from trellis.framework.references import check_references
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps

ENGINEERING = Need(families=("engineering",))


@pytest.fixture(scope="module")
def original() -> Framework:
    return starter(["engineering", "product"], "growth")


@pytest.fixture
def framework(original: Framework) -> Framework:
    return original.model_copy(deep=True)


def errors(framework: Framework) -> list[str]:
    return [
        d.format()
        for d in [*check_references(framework), *check_framework(framework)]
        if d.severity == "error"
    ]


def engineering(framework: Framework):  # type: ignore[no-untyped-def]
    family = framework.family("engineering")
    assert family is not None
    return family


def test_an_edit_never_changes_the_framework_it_is_given(framework: Framework) -> None:
    before = dumps(framework)
    apply_edits(framework, [LevelRemove("engineering", "ic", "IC3"), FamilyRemove("product")])
    assert dumps(framework) == before


def test_a_behaviour_is_content_of_its_family(framework: Framework) -> None:
    address = ExpectationAddress("engineering", "ic", "communication", "IC3")
    result = apply_edits(
        framework, [SetFields(address, {"behaviour": "Demonstrates leadership in meetings."})]
    )
    assert result.fields == ("engineering/ic/IC3/communication.behaviour",)
    assert result.needs == frozenset({ENGINEERING})
    assert result.notes == ()
    track = engineering(result.framework).track("ic")
    assert track.expectations["communication"]["IC3"].behaviour == "Demonstrates leadership in meetings."
    findings = [(d.code, d.path) for d in check_framework(result.framework)]
    assert (
        "TRL201",
        ("families", 0, "tracks", 0, "expectations", "communication", "IC3", "behaviour"),
    ) in findings


def test_setting_a_field_to_its_value_changes_nothing(framework: Framework) -> None:
    level = engineering(framework).track("ic").level("IC3")
    result = apply_edits(
        framework, [SetFields(LevelAddress("engineering", "ic", "IC3"), {"title": level.title})]
    )
    assert (result.changed, result.fields, result.needs) == (False, (), frozenset())


def test_only_changed_fields_count_towards_what_is_needed(framework: Framework) -> None:
    level = engineering(framework).track("ic").level("IC3")
    address = LevelAddress("engineering", "ic", "IC3")
    content_only = apply_edits(
        framework, [SetFields(address, {"summary": "Owns a service.", "grade": level.grade})]
    )
    assert content_only.needs == frozenset({ENGINEERING})
    both = apply_edits(framework, [SetFields(address, {"summary": "Owns a service.", "grade": 9})])
    assert both.needs == frozenset({ENGINEERING, STRUCTURE})
    assert both.fields == ("engineering/ic/IC3.summary", "engineering/ic/IC3.grade")


def test_a_band_is_structure(framework: Framework) -> None:
    band = CompensationBand(minimum=100, maximum=150, currency="EUR")
    result = apply_edits(framework, [SetFields(LevelAddress("engineering", "ic", "IC3"), {"band": band})])
    assert result.needs == frozenset({STRUCTURE})
    assert engineering(result.framework).track("ic").level("IC3").band == band


def test_framework_wide_content_needs_no_family(framework: Framework) -> None:
    result = apply_edits(framework, [SetFields(FrameworkAddress(), {"name": "Northwind careers"})])
    assert result.needs == frozenset({Need()})
    assert result.framework.name == "Northwind careers"
    core = apply_edits(
        framework, [SetFields(CompetencyAddress(None, "ownership"), {"description": "Owns it."})]
    )
    assert core.needs == frozenset({Need()})


def test_a_lateral_path_is_content_of_either_family(framework: Framework) -> None:
    lateral = framework.lateral_paths[0]
    families = (lateral.source.family, lateral.destination.family)
    result = apply_edits(framework, [SetFields(LateralPathAddress(0), {"description": "A common move."})])
    assert result.needs == frozenset({Need(families=families)})
    gaps = apply_edits(framework, [SetFields(LateralPathAddress(0), {"gaps": []})])
    assert gaps.needs == frozenset({STRUCTURE})


def test_a_track_kind_is_structure_and_its_name_content(framework: Framework) -> None:
    address = TrackAddress("engineering", "ic")
    result = apply_edits(framework, [SetFields(address, {"name": "Engineers", "kind": "named"})])
    assert result.needs == frozenset({ENGINEERING, STRUCTURE})
    assert engineering(result.framework).track("ic").kind is TrackKind.NAMED


def test_an_invalid_value_names_its_field(framework: Framework) -> None:
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [SetFields(LevelAddress("engineering", "ic", "IC3"), {"name": "  "})])
    assert caught.value.field == "name"
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [SetFields(LevelAddress("engineering", "ic", "IC3"), {"code": "X"})])
    assert (caught.value.field, caught.value.message) == ("code", "code cannot be edited here")


def test_an_unknown_thing_is_not_found(framework: Framework) -> None:
    with pytest.raises(NotFound, match='family "engineering" has no track "sales"'):
        apply_edits(framework, [SetFields(TrackAddress("engineering", "sales"), {"name": "x"})])
    with pytest.raises(NotFound, match="no lateral path number 99"):
        apply_edits(framework, [LateralPathRemove(98)])


def test_a_missing_expectation_is_created_when_a_proficiency_is_given(framework: Framework) -> None:
    removed = apply_edits(framework, [LevelRemove("engineering", "ic", "IC3")]).framework
    line = engineering(removed).track("ic").expectations["communication"]
    line.pop("IC2")
    address = ExpectationAddress("engineering", "ic", "communication", "IC2")
    with pytest.raises(EditError) as caught:
        apply_edits(removed, [SetFields(address, {"proficiency": None, "behaviour": "Writes things down."})])
    assert caught.value.field == "proficiency"
    unchanged = apply_edits(removed, [SetFields(address, {"proficiency": None, "behaviour": ""})])
    assert not unchanged.changed
    created = apply_edits(
        removed, [SetFields(address, {"proficiency": 2, "behaviour": "Writes things down."})]
    )
    expectation = engineering(created.framework).track("ic").expectations["communication"]["IC2"]
    assert (expectation.proficiency, expectation.behaviour) == (2, "Writes things down.")


def test_adding_and_removing_a_family(framework: Framework) -> None:
    added = apply_edits(framework, [FamilyAdd("data", "Data")])
    assert [f.id for f in added.framework.families] == ["engineering", "product", "data"]
    assert (added.fields, added.needs) == (("data.id",), frozenset({STRUCTURE}))
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [FamilyAdd("engineering", "Again")])
    assert caught.value.field == "family"
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [FamilyAdd("Data Team", "Data")])
    assert caught.value.field == "family"
    removed = apply_edits(framework, [FamilyRemove("product")])
    assert [f.id for f in removed.framework.families] == ["engineering"]
    assert removed.framework.lateral_paths == []
    assert removed.notes == ('Also removed 1 lateral path to or from "product".',)
    assert errors(removed.framework) == []


def test_renaming_a_family_follows_its_lateral_paths(framework: Framework) -> None:
    result = apply_edits(framework, [FamilyRename("product", "product-management")])
    assert [f.id for f in result.framework.families] == ["engineering", "product-management"]
    assert {p.destination.family for p in result.framework.lateral_paths} | {
        p.source.family for p in result.framework.lateral_paths
    } == {"engineering", "product-management"}
    assert errors(result.framework) == []


def test_adding_renaming_and_removing_a_track(framework: Framework) -> None:
    added = apply_edits(framework, [TrackAdd("engineering", "staff", "Staff", TrackKind.NAMED)])
    assert [t.id for t in engineering(added.framework).tracks] == ["ic", "management", "staff"]
    renamed = apply_edits(framework, [TrackRename("engineering", "management", "managers")])
    family = engineering(renamed.framework)
    assert [t.id for t in family.tracks] == ["ic", "managers"]
    assert {c.id: c.tracks for c in family.competencies}["people_development"] == ["managers"]
    assert errors(renamed.framework) == []
    removed = apply_edits(framework, [TrackRemove("engineering", "management")])
    family = engineering(removed.framework)
    assert [t.id for t in family.tracks] == ["ic"]
    assert "people_development" not in {c.id for c in family.competencies}
    assert 'Also removed competency "people_development", used only on this track.' in removed.notes
    assert errors(removed.framework) == []


def test_adding_a_level_puts_it_on_top_with_expectations_to_write(framework: Framework) -> None:
    result = apply_edits(
        framework, [LevelAdd("engineering", "ic", "IC7", "Distinguished", "Distinguished Engineer")]
    )
    track = engineering(result.framework).track("ic")
    assert [level.code for level in track.levels] == ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "IC7"]
    below = engineering(framework).track("ic").expectations["communication"]["IC6"].proficiency
    assert track.expectations["communication"]["IC7"].proficiency == below
    assert track.expectations["communication"]["IC7"].behaviour == ""
    codes = {d.code for d in check_framework(result.framework) if "IC7" in d.message}
    assert "TRL202" in codes
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [LevelAdd("engineering", "management", "IC3", "Again", "Again")])
    assert (caught.value.field, caught.value.message) == (
        "code",
        'family "engineering" already has a level "IC3"',
    )


def test_removing_a_level_removes_what_refers_to_it(framework: Framework) -> None:
    result = apply_edits(framework, [LevelRemove("engineering", "ic", "IC4")])
    family = engineering(result.framework)
    assert [level.code for level in family.track("ic").levels] == ["IC1", "IC2", "IC3", "IC5", "IC6"]
    assert all("IC4" not in line for line in family.track("ic").expectations.values())
    assert {(c.from_level, c.to_level) for c in family.promotions} & {("IC3", "IC4"), ("IC4", "IC5")} == set()
    assert family.track("management").crossover is None
    assert result.notes == (
        "Also removed 2 sets of promotion criteria into or out of IC4.",
        "Also removed 1 crossover starting or ending at IC4.",
        "Also removed 1 lateral path to or from IC4.",
    )
    assert errors(result.framework) == []


def test_renaming_a_level_code_follows_every_reference(framework: Framework) -> None:
    result = apply_edits(framework, [LevelRename("engineering", "ic", "IC4", "L4")])
    family = engineering(result.framework)
    assert "L4" in family.track("ic").expectations["communication"]
    assert family.track("management").crossover.from_level == "L4"
    assert ("IC3", "L4") in {(c.from_level, c.to_level) for c in family.promotions}
    assert any(p.source.level == "L4" for p in result.framework.lateral_paths)
    assert result.fields == ("engineering/ic/IC4.code",)
    assert errors(result.framework) == []


def test_moving_a_level(framework: Framework) -> None:
    result = apply_edits(framework, [LevelMove("engineering", "ic", "IC3", 1)])
    assert [level.code for level in engineering(result.framework).track("ic").levels] == [
        "IC1", "IC2", "IC4", "IC3", "IC5", "IC6",
    ]  # fmt: skip
    with pytest.raises(EditError, match="already the most junior"):
        apply_edits(framework, [LevelMove("engineering", "ic", "IC1", -1)])


def test_adding_a_functional_competency_to_some_tracks(framework: Framework) -> None:
    result = apply_edits(framework, [CompetencyAdd("engineering", "testing", "Testing", ("ic",))])
    family = engineering(result.framework)
    assert family.competencies[-1].model_dump() == {
        "id": "testing", "name": "Testing", "category": "", "description": "", "tracks": ["ic"],
    }  # fmt: skip
    assert [e.proficiency for e in family.track("ic").expectations["testing"].values()] == [1, 2, 3, 3, 4, 5]
    assert "testing" not in family.track("management").expectations
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [CompetencyAdd("engineering", "communication", "Again")])
    assert caught.value.field == "competency"


def test_adding_a_core_competency_reaches_every_track(framework: Framework) -> None:
    result = apply_edits(framework, [CompetencyAdd(None, "learning", "Learning")])
    assert result.framework.core_competencies[-1].id == "learning"
    assert all(
        "learning" in track.expectations for family in result.framework.families for track in family.tracks
    )


def test_removing_a_competency_removes_its_mentions(framework: Framework) -> None:
    result = apply_edits(framework, [CompetencyRemove("engineering", "system_design")])
    family = engineering(result.framework)
    assert "system_design" not in family.track("ic").expectations
    assert all(r.competency != "system_design" for c in family.promotions for r in c.required)
    assert result.notes == (
        "Also removed 2 required competencies of promotion criteria.",
        "Also removed 1 mention in lateral paths.",
    )
    assert errors(result.framework) == []


def test_renaming_a_core_competency_follows_every_reference(framework: Framework) -> None:
    result = apply_edits(framework, [CompetencyRename(None, "communication", "communicating")])
    assert all(
        "communicating" in track.expectations and "communication" not in track.expectations
        for family in result.framework.families
        for track in family.tracks
    )
    assert errors(result.framework) == []
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [CompetencyRename(None, "communication", "system_design")])
    assert caught.value.field == "new_id"


def test_crossovers(framework: Framework) -> None:
    address = CrossoverAddress("engineering", "management")
    wording = apply_edits(framework, [SetFields(address, {"entry_criteria": ["Has led a project."]})])
    assert wording.needs == frozenset({ENGINEERING})
    removed = apply_edits(framework, [CrossoverRemove("engineering", "management")])
    assert engineering(removed.framework).track("management").crossover is None
    with pytest.raises(EditError) as caught:
        apply_edits(removed.framework, [SetFields(address, {"entry_criteria": ["x"]})])
    assert caught.value.field == "from_level"
    created = apply_edits(removed.framework, [SetFields(address, {"from_level": "IC5", "to_level": "M1"})])
    assert engineering(created.framework).track("management").crossover.from_level == "IC5"
    assert created.needs == frozenset({STRUCTURE})


def test_promotion_criteria(framework: Framework) -> None:
    added = apply_edits(framework, [PromotionAdd("engineering", "IC6", "M3")])
    assert ("IC6", "M3") in {(c.from_level, c.to_level) for c in engineering(added.framework).promotions}
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [PromotionAdd("engineering", "IC1", "IC2")])
    assert caught.value.field == "to_level"
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [PromotionAdd("engineering", "IC9", "IC2")])
    assert caught.value.field == "from_level"
    address = PromotionAddress("engineering", "IC1", "IC2")
    thresholds = apply_edits(framework, [SetFields(address, {"min_average": 3.5, "floor": 3.0})])
    assert thresholds.needs == frozenset({STRUCTURE})
    evidence = apply_edits(framework, [SetFields(address, {"scope_evidence": ["Led a migration."]})])
    assert evidence.needs == frozenset({ENGINEERING})
    removed = apply_edits(framework, [PromotionRemove("engineering", "IC1", "IC2")])
    assert ("IC1", "IC2") not in {
        (c.from_level, c.to_level) for c in engineering(removed.framework).promotions
    }


def test_lateral_paths(framework: Framework) -> None:
    source = LevelRef(family="product", level="IC3")
    destination = LevelRef(family="engineering", level="IC3")
    added = apply_edits(framework, [LateralPathAdd(source, destination)])
    assert added.framework.lateral_paths[-1].source == source
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [LateralPathAdd(source, LevelRef(family="product", level="IC4"))])
    assert caught.value.field == "destination_family"
    with pytest.raises(EditError) as caught:
        apply_edits(framework, [LateralPathAdd(source, LevelRef(family="engineering", level="IC9"))])
    assert caught.value.field == "destination_level"
    removed = apply_edits(framework, [LateralPathRemove(0)])
    assert len(removed.framework.lateral_paths) == len(framework.lateral_paths) - 1


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("name",), (FrameworkAddress(), "name")),
        (("core_competencies", 1, "description"), (CompetencyAddress(None, "ownership"), "description")),
        (("families", 0), (FamilyAddress("engineering"), "")),
        (("families", 0, "description"), (FamilyAddress("engineering"), "description")),
        (("families", 0, "competencies", 1, "id"), (CompetencyAddress("engineering", "system_design"), "id")),
        (
            ("families", 0, "tracks", 0, "levels", 2, "summary"),
            (LevelAddress("engineering", "ic", "IC3"), "summary"),
        ),
        (
            ("families", 0, "tracks", 0, "expectations", "communication", "IC3", "behaviour"),
            (ExpectationAddress("engineering", "ic", "communication", "IC3"), "behaviour"),
        ),
        (
            ("families", 0, "tracks", 0, "expectations", "communication"),
            (ExpectationAddress("engineering", "ic", "communication", None), ""),
        ),
        (
            ("families", 0, "tracks", 1, "crossover", "to_level"),
            (CrossoverAddress("engineering", "management"), "to_level"),
        ),
        (("families", 0, "tracks", 1, "expectations"), (TrackAddress("engineering", "management"), "")),
        (("families", 0, "promotions", 0, "floor"), (PromotionAddress("engineering", "IC1", "IC2"), "floor")),
        (("lateral_paths", 0, "transferable"), (LateralPathAddress(0), "transferable")),
        (("scale", "points", 0, "anchor"), None),
        (("families", 9), None),
        ((), None),
    ],
)
def test_where_a_finding_points(framework: Framework, path: tuple[str | int, ...], expected: object) -> None:
    assert address_of(framework, path) == expected


def test_an_address_turns_back_into_its_path(framework: Framework) -> None:
    path = ("families", 0, "tracks", 0, "expectations", "communication", "IC3")
    address, _ = address_of(framework, (*path, "behaviour"))  # type: ignore[misc]
    assert address.path(framework) == path


def test_merging_a_family_from_a_matrix(framework: Framework) -> None:
    matrix = b"competency,L1,L2,L3,L4\nCommunication,a,b,c,d\nData modelling,e,f,g,h\n"
    imported = read_matrix(matrix, "data.csv", family="Data").framework
    assert imported is not None
    merged, replaced, notes = merge_family(framework, imported)
    assert (replaced, [f.id for f in merged.families]) == (False, ["engineering", "product", "data"])
    assert [c.id for c in merged.family("data").competencies] == ["data_modelling"]
    assert notes == ("Read communication as the draft's core competency.",)
    assert merged.lateral_paths == framework.lateral_paths
    again, replaced, _ = merge_family(merged, imported)
    assert (replaced, [f.id for f in again.families]) == (True, ["engineering", "product", "data"])


# --- the one classification -------------------------------------------------------------------------

IC3 = LevelAddress("engineering", "ic", "IC3")
IC2_TO_IC3 = PromotionAddress("engineering", "IC2", "IC3")
#: Criteria with a required competency and a time at the next level, as the starter has them.
IC3_TO_IC4 = PromotionAddress("engineering", "IC3", "IC4")


def _changed_value(framework: Framework, address: Address, name: str) -> object:
    """A value for field `name` of the thing at `address` that differs from its present one."""
    current = getattr(address.resolve(framework), name)
    values: dict[str, object] = {
        "kind": TrackKind.NAMED if current != TrackKind.NAMED else TrackKind.IC,
        "from_level": "IC5",
        "to_level": "M2",
        "two_way": not current,
        "band": CompensationBand(minimum=1, maximum=2, currency="EUR"),
        "grade": 42,
        "min_months_in_level": 99,
        "tracks": ["management"] if current != ["management"] else ["ic"],
        "proficiency": 1 if current != 1 else 2,
        "min_average": 0.5,
        "floor": 0.5,
        "required": [],
        "time_at_next_level": TimeAtLevel(count=7, unit=TimeUnit.MONTHS),
        "manager_endorsement": not current,
        "calibration": not current,
        "transferable": [] if current else ["communication"],
        "gaps": [] if current else [Gap(competency="communication", target=3)],
    }
    if name in values:
        return values[name]
    return ["Changed."] if isinstance(current, list) else "Changed."


#: One thing of every editable kind, in the starter framework.
_ADDRESSES: dict[str, Address] = {
    "framework": FrameworkAddress(),
    "family": FamilyAddress("engineering"),
    "track": TrackAddress("engineering", "ic"),
    "crossover": CrossoverAddress("engineering", "management"),
    "level": IC3,
    "competency": CompetencyAddress("engineering", "system_design"),
    "expectation": ExpectationAddress("engineering", "ic", "communication", "IC3"),
    "promotion": IC2_TO_IC3,
    "lateral_path": LateralPathAddress(0),
}

_EDITABLE = [(kind, name) for kind, fields in EDITABLE_FIELDS.items() for name in fields]


@pytest.mark.parametrize(("kind", "name"), _EDITABLE)
def test_an_edit_of_one_field_needs_what_its_diff_is(framework: Framework, kind: str, name: str) -> None:
    """The diff of a one-field edit has the classification's kind for that field, and the edit needs
    HR exactly when that kind is structural: one table drives both."""
    address = _ADDRESSES[kind]
    result = apply_edits(framework, [SetFields(address, {name: _changed_value(framework, address, name)})])
    assert result.changed
    changes = diff(framework, result.framework).changes
    assert changes, f"{kind}.{name}: the diff saw no change"
    assert {change.kind for change in changes} == {field_kind(kind, name)}
    assert result.structural == (field_kind(kind, name) == DIFF_STRUCTURAL)
    assert EDITABLE_FIELDS[kind][name] == field_kind(kind, name)


def test_every_editable_kind_is_tested() -> None:
    assert set(_ADDRESSES) == set(EDITABLE_FIELDS)


@pytest.mark.parametrize(
    ("address", "values"),
    [
        (IC3_TO_IC4, {"min_average": 0.0}),
        (IC3_TO_IC4, {"floor": 0.0}),
        (IC3_TO_IC4, {"required": []}),
        (IC3_TO_IC4, {"time_at_next_level": None}),
        (ExpectationAddress("engineering", "ic", "communication", "IC3"), {"proficiency": 1}),
    ],
)
def test_thresholds_and_proficiencies_are_structure(
    framework: Framework, address: Address, values: dict[str, object]
) -> None:
    result = apply_edits(framework, [SetFields(address, values)])
    assert (result.changed, result.needs) == (True, frozenset({STRUCTURE}))
