"""What only the exports need, beside the shaping and wording they share with the web pages.

Ladders, crossovers, criteria as facts and every label come from `trellis.framework.shaping` and
`trellis.framework.wording`; what is left here is specific to a document that lists the whole
framework at once. Everything returns plain text: each renderer escapes it for its own format.
"""

from __future__ import annotations

from trellis.framework import wording
from trellis.framework.model import Competency, Expectation, Framework, Track

#: Shown where a track does not assess a competency at a level.
NOT_ASSESSED = "Not assessed at this level"


def expectation_of(track: Track, competency_id: str, level_code: str) -> Expectation | None:
    return track.expectations.get(competency_id, {}).get(level_code)


def all_competencies(framework: Framework) -> list[Competency]:
    """Each competency assessed anywhere in the framework, once, in first-use order.

    Core competencies appear with their framework-wide name: a family's override changes wording
    inside the family, not the identity of the competency across families.
    """
    seen: dict[str, Competency] = {}
    core = {c.id: c for c in framework.core_competencies}
    for family in framework.families:
        for track in family.tracks:
            for competency in framework.competencies_for(family, track):
                if competency.id not in seen:
                    seen[competency.id] = core.get(competency.id, competency)
    return list(seen.values())


def competency_kind_text(framework: Framework, competency: Competency) -> str:
    """ "Core" or "Functional" with the category ("Core · Delivery"), as the documents head a row."""
    return wording.competency_kind_label(framework.competency_kind(competency.id), competency.category)


def split_paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs (separated by blank lines), each a list of its lines, stripped."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    return paragraphs
