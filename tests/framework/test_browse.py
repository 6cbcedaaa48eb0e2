"""Reading a framework: ladders aligned by grade with crossovers marked, the matrix of a track, one
level with its promotion, what the next level asks, and the ways off a track."""

from __future__ import annotations

import functools

from trellis.framework import browse, shaping
from trellis.framework.model import CompetencyOverride, Family, Framework
from trellis.framework.templates import starter


@functools.cache
def growth() -> Framework:
    return starter(["engineering", "product", "marketing"], "growth")


def engineering() -> Family:
    family = growth().family("engineering")
    assert family is not None
    return family


def codes(cells: tuple[shaping.LadderCell, ...]) -> str:
    return ",".join(cell.level.code for cell in cells) or "—"


def test_the_ladder_puts_tracks_side_by_side_by_grade_highest_first() -> None:
    ladder = shaping.ladder(engineering())
    assert [track.id for track in ladder.tracks] == ["ic", "management"]
    assert [(row.grade, *map(codes, row.cells)) for row in ladder.rows] == [
        (6, "IC6", "M3"),
        (5, "IC5", "M2"),
        (4, "IC4", "M1"),
        (3, "IC3", "—"),
        (2, "IC2", "—"),
        (1, "IC1", "—"),
    ]


def test_the_crossover_is_marked_at_both_ends() -> None:
    ladder = shaping.ladder(engineering())
    (crossing,) = ladder.crossings
    assert (crossing.from_track.id, crossing.from_level.code, crossing.to_track.id, crossing.to_level.code) == (
        "ic", "IC4", "management", "M1",
    )  # fmt: skip
    assert crossing.two_way is True
    assert crossing.entry_criteria[0] == "Operates at IC4 in the current review cycle."
    marked = {
        (cell.level.code, len(cell.leaves), len(cell.arrives))
        for row in ladder.rows
        for cells in row.cells
        for cell in cells
        if cell.leaves or cell.arrives
    }
    assert marked == {("IC4", 1, 0), ("M1", 0, 1)}


def test_a_three_track_family_aligns_a_track_that_starts_higher() -> None:
    family = starter(["customer-success"], "growth").families[0]
    ladder = shaping.ladder(family)
    assert [(row.grade, *map(codes, row.cells)) for row in ladder.rows] == [
        (6, "R6", "S6", "M3"),
        (5, "R5", "S5", "M2"),
        (4, "R4", "S4", "M1"),
        (3, "R3", "S3", "—"),
        (2, "R2", "—", "—"),
        (1, "R1", "—", "—"),
    ]
    assert [(c.from_level.code, c.to_level.code) for c in ladder.crossings] == [("R3", "S3"), ("R4", "M1")]


def test_the_matrix_is_every_competency_by_every_level() -> None:
    family = engineering()
    track = family.track("ic")
    assert track is not None
    matrix = shaping.matrix(growth(), family, track)
    assert [level.code for level in matrix.levels] == ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6"]
    assert [(row.competency.name, row.kind) for row in matrix.rows] == [
        ("Communication", "core"),
        ("Ownership", "core"),
        ("Collaboration", "core"),
        ("Delivery", "core"),
        ("Technology and AI fluency", "core"),
        ("Software craft", "functional"),
        ("System design", "functional"),
        ("Operational excellence", "functional"),
        ("Technical leadership", "functional"),
    ]
    cell = matrix.rows[6].cells[3]
    assert cell == shaping.Expected(
        proficiency=4,
        label="Advanced",
        behaviour="Designs the architecture of the team's systems, including data models, APIs and "
        "failure handling, and runs the team's design reviews.",
    )


def test_a_level_knows_its_neighbours_promotion_and_ways_off() -> None:
    detail = browse.level_detail(growth(), "engineering", "ic", "IC4")
    assert detail is not None
    assert (detail.level.title, detail.grade) == ("Senior Software Engineer", 4)
    assert (detail.previous and detail.previous.code, detail.next and detail.next.code) == ("IC3", "IC5")
    assert len(detail.competencies) == 9
    promotion = detail.promotion
    assert promotion is not None
    assert (promotion.from_level.code, promotion.to_level.code) == ("IC4", "IC5")
    assert [(fact.label, fact.text, fact.items) for fact in promotion.facts] == [
        ("Minimum average rating", "3.5 across the competencies of IC5", ()),
        ("Floor", "no competency rated below 3 · Proficient", ()),
        ("Required competencies", "", ("Technical leadership: at least 4 · Advanced",)),
        ("Operating at the next level", "for 3 quarters before the promotion", ()),
        (
            "Scope evidence",
            "",
            ("Led a technical initiative spanning three or more teams through to launch.",),
        ),
        ("Manager endorsement", "required", ()),
        ("Calibration", "confirmed in calibration", ()),
    ]
    assert [(c.from_level.code, c.to_level.code) for c in detail.crossings] == [("IC4", "M1")]
    assert [(m.number, m.destination_family and m.destination_family.id) for m in detail.lateral] == [
        (1, "product")
    ]


def test_the_first_and_top_levels_have_one_neighbour_each() -> None:
    first = browse.level_detail(growth(), "engineering", "ic", "IC1")
    top = browse.level_detail(growth(), "engineering", "ic", "IC6")
    assert first is not None and top is not None
    assert (first.previous, first.next and first.next.code) == (None, "IC2")
    assert (top.previous and top.previous.code, top.next, top.promotion) == ("IC5", None, None)


def test_unknown_places_are_none_not_errors() -> None:
    assert browse.level_detail(growth(), "engineering", "ic", "IC9") is None
    assert browse.level_detail(growth(), "engineering", "nope", "IC1") is None
    assert browse.level_detail(growth(), "nope", "ic", "IC1") is None
    assert browse.transition_to_next(growth(), "engineering", "ic", "IC9") is None


def test_what_the_next_level_asks_of_an_ic2() -> None:
    transition = browse.transition_to_next(growth(), "engineering", "ic", "IC2")
    assert transition is not None
    assert (transition.current.code, transition.next and transition.next.code, transition.at_top) == (
        "IC2", "IC3", False,
    )  # fmt: skip
    assert [(s.competency.name, s.current and s.current.proficiency, s.next and s.next.proficiency, s.change)
            for s in transition.steps] == [
        ("Communication", 2, 3, 1),
        ("Ownership", 2, 3, 1),
        ("Collaboration", 2, 3, 1),
        ("Delivery", 2, 3, 1),
        ("Technology and AI fluency", 2, 3, 1),
        ("Software craft", 2, 3, 1),
        ("System design", 2, 3, 1),
        ("Operational excellence", 2, 3, 1),
        ("Technical leadership", 2, 2, 0),  # the same proficiency: not highlighted
    ]  # fmt: skip
    promotion = transition.promotion
    assert promotion is not None
    assert [fact.label for fact in promotion.facts] == [
        "Minimum average rating",
        "Floor",
        "Required competencies",
        "Scope evidence",
        "Manager endorsement",
        "Calibration",
    ]
    assert promotion.facts[2].items == ("Software craft: at least 3 · Proficient",)
    assert promotion.criteria.scope_evidence == [
        "Owned a multi-week project of the team from design document to launch."
    ]
    # Management branches off at IC4; an IC2 can already see where.
    assert [(c.to_track.id, c.from_level.code) for c in transition.crossings] == [("management", "IC4")]
    assert [m.number for m in transition.lateral] == [1]


def test_at_the_top_of_a_track_there_is_no_next_level_but_other_directions() -> None:
    transition = browse.transition_to_next(growth(), "engineering", "ic", "IC6")
    assert transition is not None
    assert (transition.next, transition.steps, transition.promotion, transition.at_top) == (
        None,
        (),
        None,
        True,
    )
    assert [(c.from_level.code, c.to_level.code, c.two_way) for c in transition.crossings] == [
        ("IC4", "M1", True)
    ]
    assert [(m.source_level and m.source_level.code, m.destination_level and m.destination_level.code)
            for m in transition.lateral] == [("IC4", "IC4")]  # fmt: skip


def test_a_manager_at_the_top_sees_the_two_way_road_back() -> None:
    transition = browse.transition_to_next(growth(), "engineering", "management", "M3")
    assert transition is not None and transition.at_top
    # The crossover into management is not a direction for someone already there; its way back is.
    assert transition.crossings == ()
    assert [(w.crossing.from_level.code, w.track.id, w.level.code) for w in transition.ways_back] == [
        ("IC4", "ic", "IC6")
    ]
    assert transition.other_directions
    assert transition.lateral == ()  # lateral paths start on the IC track


def test_the_way_back_leads_to_the_ic_level_of_the_same_grade_with_what_it_expects_more() -> None:
    framework = growth()
    ways = {
        code: transition.ways_back[0]
        for code in ("M1", "M2")
        for transition in [browse.transition_to_next(framework, "engineering", "management", code)]
        if transition is not None
    }
    assert {code: (way.level.code, way.level.title) for code, way in ways.items()} == {
        "M1": ("IC4", "Senior Software Engineer"),
        "M2": ("IC5", "Staff Software Engineer"),
    }
    assert ways["M2"].sentence == (
        "People may move back to IC5 (Individual contributor), the level of the same grade, without penalty."
    )
    assert ways["M2"].gaps == (
        "Software craft: 4 · Advanced (not assessed at M2)",
        "System design: 4 · Advanced (not assessed at M2)",
        "Operational excellence: 4 · Advanced (not assessed at M2)",
        "Technical leadership: 4 · Advanced (not assessed at M2)",
    )
    # The core competencies both tracks assess are expected alike at one grade (parity): no gap.
    assert [step.competency.id for step in ways["M1"].steps] == [
        "software_craft",
        "system_design",
        "operational_excellence",
        "technical_leadership",
    ]
    assert ways["M1"].gaps[3] == "Technical leadership: 3 · Proficient (not assessed at M1)"


def test_a_competency_both_tracks_assess_is_a_gap_only_where_the_ic_level_expects_more() -> None:
    framework = growth().model_copy(deep=True)
    ic, management = framework.families[0].tracks
    ic.expectations["communication"]["IC5"].proficiency = 5
    management.expectations["communication"]["M2"].proficiency = 4
    transition = browse.transition_to_next(framework, "engineering", "management", "M2")
    assert transition is not None
    (way,) = transition.ways_back
    assert way.gaps[0] == "Communication: 5 · Expert (4 · Advanced at M2)"
    assert [step.change for step in way.steps] == [1, None, None, None, None]


def test_a_way_back_to_a_shorter_track_stops_at_its_top_level() -> None:
    framework = growth().model_copy(deep=True)
    ic = framework.families[0].tracks[0]
    ic.levels = ic.levels[:5]  # IC1-IC5: nothing at grade 6
    transition = browse.transition_to_next(framework, "engineering", "management", "M3")
    assert transition is not None
    assert [way.level.code for way in transition.ways_back] == ["IC5"]


def test_lateral_moves_resolve_both_ends_and_name_competencies() -> None:
    (move,) = browse.lateral_moves(growth())
    assert (move.number, move.source_family and move.source_family.name) == (1, "Engineering")
    assert (move.source_level and move.source_level.title, move.destination_level and move.destination_level.title) == (
        "Senior Software Engineer", "Senior Product Manager",
    )  # fmt: skip
    assert [c.name for c in move.transferable] == [
        "Communication", "Collaboration", "Delivery", "System design", "Technical leadership",
    ]  # fmt: skip
    assert [(c.name, target and (target.proficiency, target.label)) for c, target, _ in move.gaps] == [
        ("Product discovery", (4, "Advanced")),
        ("Product strategy", (4, "Advanced")),
        ("Data-informed decisions", (4, "Advanced")),
    ]


def test_family_competencies_carry_the_family_wording_of_core_ones() -> None:
    framework = growth().model_copy(deep=True)
    family = framework.families[0]
    family.core_overrides["communication"] = CompetencyOverride(
        name="Technical communication", description="Writing designs others can build from."
    )
    items = shaping.family_competencies(framework, family)
    assert [(i.competency.name, i.kind, i.family_wording, i.track_ids) for i in items[:2]] == [
        ("Technical communication", "core", True, ("ic", "management")),
        ("Ownership", "core", False, ("ic", "management")),
    ]
    assert items[0].competency.description == "Writing designs others can build from."
    assert [(i.competency.name, i.track_ids) for i in items[5:7]] == [
        ("Software craft", ("ic",)),
        ("System design", ("ic",)),
    ]
    # The matrix and the level use the family's wording too.
    track = family.track("ic")
    assert track is not None
    assert shaping.matrix(framework, family, track).rows[0].competency.name == "Technical communication"
