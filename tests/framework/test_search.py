"""Search across a framework: what is indexed, how results rank (exact titles and codes first), what
each result's address is, and how the matched text comes back for highlighting."""

from __future__ import annotations

import functools

from trellis.framework.model import Framework
from trellis.framework.search import (
    Address,
    Fragment,
    Page,
    ResultKind,
    SearchIndex,
    build_index,
    fold,
)
from trellis.framework.templates import starter


@functools.cache
def growth_framework() -> Framework:
    return starter(["engineering", "product", "marketing"], "growth")


@functools.cache
def growth_index() -> SearchIndex:
    return build_index(growth_framework())


def marked(fragments: tuple[Fragment, ...]) -> str:
    """The fragments as one string with the matched parts in brackets."""
    return "".join(f"[{fragment.text}]" if fragment.matched else fragment.text for fragment in fragments)


def titles(query: str, count: int = 20) -> list[tuple[int, str, str]]:
    return [(result.rank, result.kind, result.title) for result in growth_index().search(query)[:count]]


def test_everything_readable_is_indexed_once() -> None:
    index = growth_index()
    kinds: dict[ResultKind, int] = {}
    for kind, _ in index:
        kinds[kind] = kinds.get(kind, 0) + 1
    # 3 families × (IC1-IC6 + M1-M3) levels; 3 × (9 × 6 + 8 × 3) behaviours; 7 promotions and one
    # crossover per family; 5 core + 3 × 7 functional competencies; 5 scale points; 1 lateral path.
    assert kinds == {
        ResultKind.SCALE: 5,
        ResultKind.COMPETENCY: 26,
        ResultKind.FAMILY: 3,
        ResultKind.TRACK: 6,
        ResultKind.CRITERIA: 24,
        ResultKind.LEVEL: 27,
        ResultKind.BEHAVIOUR: 234,
        ResultKind.LATERAL_PATH: 1,
    }
    assert len(index) == 326


def test_an_exact_title_variant_ranks_first() -> None:
    assert titles("Staff Engineer") == [
        (1, "level", "IC5 · Staff Software Engineer"),
        (3, "level", "IC6 · Principal Software Engineer"),
        (5, "behaviour", "Technical leadership at IC6"),
    ]
    best = growth_index().search("staff engineer")[0]
    assert (best.field, marked(best.fragments)) == ("Title variant", "[Staff] [Engineer]")
    assert best.address == Address(Page.LEVEL, family="engineering", track="ic", level="IC5")
    assert best.context == "Engineering · Individual contributor · Staff"


def test_exact_then_whole_word_prefix_then_words_anywhere_in_titles() -> None:
    assert titles("Software Engineer", 8) == [
        (1, "level", "IC2 · Software Engineer"),
        (2, "level", "IC1 · Associate Software Engineer"),  # its variant "Software Engineer I"
        (2, "level", "IC3 · Software Engineer III"),
        (3, "level", "IC4 · Senior Software Engineer"),
        (3, "level", "IC5 · Staff Software Engineer"),
        (3, "level", "IC6 · Principal Software Engineer"),
        (3, "level", "M1 · Engineering Manager"),  # "Software Engineering Manager" is not whole words
        (5, "family", "Engineering"),
    ]


def test_an_exact_level_code_ranks_first_in_every_family() -> None:
    assert titles("ic4", 6) == [
        (1, "level", "IC4 · Senior Software Engineer"),
        (1, "level", "IC4 · Senior Product Manager"),
        (1, "level", "IC4 · Senior Marketing Specialist"),
        (3, "criteria", "Crossover IC4 → M1"),
        (3, "criteria", "Promotion IC3 → IC4"),
        (3, "criteria", "Promotion IC4 → IC5"),
    ]


def test_an_exact_competency_name_ranks_before_behaviours_that_mention_it() -> None:
    results = growth_index().search("system design")
    assert (results[0].rank, results[0].kind, results[0].title) == (1, "competency", "System design")
    assert results[0].context == "Engineering · functional competency"
    assert results[0].address == Address(Page.FAMILY, family="engineering", anchor="competency-system_design")
    assert all(result.rank == 5 for result in results[1:])


def test_every_word_must_match_somewhere_in_the_entry() -> None:
    assert growth_index().search("system zzz") == []
    # The core behaviours of delivery are shared by the three families' tracks.
    results = growth_index().search("quarterly commitments")
    assert [(result.title, result.context) for result in results] == [
        ("Delivery at IC4", "Engineering · Individual contributor · 4 · Advanced"),
        ("Delivery at M1", "Engineering · Engineering management · 4 · Advanced"),
        ("Delivery at IC4", "Product · Individual contributor · 4 · Advanced"),
        ("Delivery at M1", "Product · Product management leadership · 4 · Advanced"),
        ("Delivery at IC4", "Marketing · Individual contributor · 4 · Advanced"),
        ("Delivery at M1", "Marketing · Marketing management · 4 · Advanced"),
    ]
    assert marked(results[0].fragments) == (
        "Sets the delivery plan for the team's larger initiatives, sequencing the riskiest work first "
        "and keeping the team's [quarterly] [commitments] predictable."
    )


def test_case_accents_and_spacing_are_ignored() -> None:
    assert fold("  Señor   INGÉNIEUR ") == "senor ingenieur"
    assert titles("STAFF   engineer")[0] == (1, "level", "IC5 · Staff Software Engineer")
    framework = growth_framework().model_copy(deep=True)
    framework.families[0].tracks[0].levels[0].title_variants.append("Ingénieur logiciel débutant")
    result = build_index(framework).search("ingenieur logiciel")[0]
    assert (result.rank, result.field) == (2, "Title variant")
    # The highlight is cut from the original text, accents and all.
    assert marked(result.fragments) == "[Ingénieur] [logiciel] débutant"


def test_blank_queries_find_nothing() -> None:
    assert growth_index().search("") == []
    assert growth_index().search("   ") == []
    assert growth_index().count(" ") == 0


def test_addresses_name_the_page_and_anchor_of_each_kind() -> None:
    def first(query: str, kind: ResultKind) -> Address:
        return next(result.address for result in growth_index().search(query) if result.kind is kind)

    assert first("Designs the architecture of the team's systems", ResultKind.BEHAVIOUR) == Address(
        Page.LEVEL, family="engineering", track="ic", level="IC4", anchor="competency-system_design"
    )
    assert first("Promotion IC3 → IC4", ResultKind.CRITERIA) == Address(
        Page.LEVEL, family="engineering", track="ic", level="IC3", anchor="promotion"
    )
    assert first("Has mentored at least one engineer", ResultKind.CRITERIA) == Address(
        Page.FAMILY, family="engineering", anchor="crossover-management"
    )
    assert first("Engineering management", ResultKind.TRACK) == Address(
        Page.FAMILY, family="engineering", anchor="track-management"
    )
    assert first("product discovery", ResultKind.LATERAL_PATH) == Address(Page.LATERAL_PATHS, anchor="path-1")
    assert first("Proficient", ResultKind.SCALE) == Address(Page.INDEX, anchor="scale-3")
    assert first("Ownership", ResultKind.COMPETENCY) == Address(Page.INDEX, anchor="competency-ownership")


def test_promotion_criteria_are_found_by_their_requirements() -> None:
    result = next(r for r in growth_index().search("software craft at 3") if r.kind is ResultKind.CRITERIA)
    assert (result.title, result.context, result.field) == (
        "Promotion IC2 → IC3",
        "Engineering",
        "Required competency",
    )
    assert marked(result.fragments) == "[Software] [craft] [at] [3] or more"


def test_long_text_is_cut_to_a_window_around_the_first_match() -> None:
    framework = growth_framework().model_copy(deep=True)
    words = " ".join(f"word{number}" for number in range(80))
    framework.families[0].description = f"{words} needle {words}"
    result = next(r for r in build_index(framework).search("needle") if r.kind is ResultKind.FAMILY)
    text = marked(result.fragments)
    assert text.startswith("…word") and text.endswith("…")
    assert "[needle]" in text
    assert len(text) < 240
    # The window starts and ends on whole words.
    assert all(part.startswith("word") for part in text.strip("…").split(" ") if "needle" not in part)


def test_markup_in_the_framework_comes_back_as_plain_text() -> None:
    framework = growth_framework().model_copy(deep=True)
    framework.families[0].tracks[0].levels[0].summary = "Learns <script>alert(1)</script> & more."
    result = next(r for r in build_index(framework).search("<script>") if r.kind is ResultKind.LEVEL)
    # Escaping is the caller's job: the fragments hold the text exactly as written.
    assert result.fragments == (
        Fragment("Learns ", matched=False),
        Fragment("<script>", matched=True),
        Fragment("alert(1)</script> & more.", matched=False),
    )


def test_results_by_kind_keep_the_best_few_of_each_and_count_them_all() -> None:
    results, totals = growth_index().search_by_kind("engineer", per_kind=2)
    assert totals == {
        ResultKind.LEVEL: 10,
        ResultKind.FAMILY: 1,
        ResultKind.TRACK: 1,
        ResultKind.COMPETENCY: 2,
        ResultKind.CRITERIA: 5,
        ResultKind.LATERAL_PATH: 1,
        ResultKind.BEHAVIOUR: 11,
    }
    assert sum(totals.values()) == growth_index().count("engineer") == len(growth_index().search("engineer"))
    assert [(r.rank, r.kind, r.title) for r in results] == [
        (3, "level", "IC1 · Associate Software Engineer"),
        (3, "level", "IC2 · Software Engineer"),
        (3, "family", "Engineering"),
        (3, "track", "Engineering management"),
        (3, "competency", "Engineering strategy"),
        (3, "lateral_path", "Engineering IC4 → Product IC4"),
        (5, "competency", "Technical leadership"),
        (5, "criteria", "Crossover IC4 → M1"),
        (5, "criteria", "Promotion IC3 → IC4"),
        (5, "behaviour", "Software craft at IC6"),
        (5, "behaviour", "Technical leadership at IC3"),
    ]
    assert len(results) == sum(min(2, total) for total in totals.values())


def test_the_limit_cuts_the_ranked_list() -> None:
    everything = growth_index().search("e", limit=None)
    assert len(everything) == growth_index().count("e") > 200
    assert growth_index().search("e") == everything[:200]
    assert growth_index().search("e", limit=3) == everything[:3]
