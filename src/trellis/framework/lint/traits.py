"""Phrases that name a trait or an attitude instead of something a person does, and vague
qualifiers that stand in for what the person does.

"Demonstrates leadership" or "is a team player" cannot be observed: two managers reading it reach
different conclusions about the same person, so a rating against it measures the rater. The
patterns below are deliberately narrow — a verb of *showing* or *being* followed by a quality —
so that ordinary behaviours ("Shows new joiners how to deploy", "Leads the design review for a
cross-team project", "Thinks through failure modes before a launch") are left alone.

A vague qualifier ("has a strong understanding of", "is good at", "etc.") fails the same test
another way: it says that the person knows or does enough of something without saying what, so
each rater fills the gap with their own idea. `VAGUE_QUALIFIERS` is the one list of them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Qualifiers that may sit between the verb and the quality: "shows *strong* ownership".
_QUALIFIERS = (
    r"(?:(?:very|highly|truly|real|genuine|strong|good|great|excellent|exceptional|outstanding|solid"
    r"|clear|high|natural|sound|positive|true)\s+)*"
)

# Qualities that can only be inferred, never seen.
_QUALITIES = (
    r"(?:leadership(?:\s+(?:qualities|skills|potential|presence))?|ownership|initiative|accountability"
    r"|integrity|passion|commitment|curiosity|empathy|maturity|judge?ment|drive|professionalism"
    r"|potential|resilience|creativity|confidence|humility|enthusiasm|dedication|grit|excellence"
    r"|agility|adaptability|flexibility|self[- ]awareness|emotional\s+intelligence|executive\s+presence"
    r"|strategic\s+thinking|critical\s+thinking|business\s+acumen|attention\s+to\s+detail"
    r"|(?:a\s+)?sense\s+of\s+urgency|(?:a\s+)?bias\s+(?:for|towards?)\s+action"
    r"|(?:communication|people|interpersonal|soft)\s+skills|(?:a\s+)?(?:strong\s+)?work\s+ethic)"
)

# Labels for a kind of person rather than for what they do.
_PERSON_LABELS = (
    r"(?:team\s+player|self[- ]starter|go[- ]getter|leader|communicator|people\s+person"
    r"|problem[- ]solver|(?:strategic|critical|creative|big[- ]picture|systems)\s+thinker|role\s+model"
    r"|thought\s+leader|visionary|rock\s?star|ninja|culture\s+fit)"
)

# Adjectives that describe a temperament. Words that also describe things ("reliable", "flexible",
# "mature", "committed") are left out: "ensures the pipeline is reliable" is observable.
_TEMPERAMENTS = (
    r"(?:proactive|self[- ]motivated|self[- ]driven|detail[- ]oriented|results[- ]oriented"
    r"|customer[- ](?:obsessed|focused|centric)|hard[- ]?working|humble|curious|ambitious|enthusiastic"
    r"|empathetic|charismatic|coachable|passionate|resourceful|personable|approachable|trustworthy)"
)
# Temperaments that are also ordinary participles: "is driven by data", "is motivated to ship" and
# "is confident that the fix works" describe something else, so these need no object after them.
_AMBIGUOUS_TEMPERAMENTS = r"(?:driven|motivated|confident)(?!\s+(?:by|to|from|that|of)\b)"

_PATTERNS = (
    # "demonstrates leadership", "shows ownership", "displays strong judgement"
    rf"\b(?:demonstrate|show|display|exhibit|possess|radiate)s?\s+(?:an?\s+|the\s+)?{_QUALIFIERS}{_QUALITIES}\b",
    rf"\b(?:exemplif|embod)(?:y|ies)\s+(?:an?\s+|the\s+)?{_QUALIFIERS}{_QUALITIES}\b",
    # "has integrity", "has leadership presence", "has good judgement"
    r"\bhas\s+(?:an?\s+)?" + _QUALIFIERS + r"(?:integrity|passion|drive|potential|grit|charisma|humility"
    r"|empathy|maturity|judge?ment|(?:executive|leadership)\s+presence|work\s+ethic"
    r"|(?:leadership|people|interpersonal|communication|soft)\s+skills)\b",
    # "thinks strategically", "thinks outside the box"
    r"\bthinks?\s+(?:strategically|critically|creatively|analytically|holistically|big"
    r"|outside\s+the\s+box|like\s+an?\s+owner|long[- ]term)\b",
    # "is a team player", "is a strong communicator"
    rf"\bis\s+(?:an?\s+)?{_QUALIFIERS}{_PERSON_LABELS}\b",
    # "strong communicator", "good attitude" without a verb in front
    r"\b(?:strong|good|great|excellent|effective|natural|exceptional|outstanding|positive|can[- ]do"
    r"|right|winning)\s+(?:communicator|leader|team\s+player|problem[- ]solver"
    r"|(?:strategic|critical)\s+thinker|attitude|work\s+ethic"
    r"|(?:people|interpersonal|communication|leadership)\s+skills)\b",
    # "is passionate about", "passionate for"
    r"\b(?:is\s+)?(?:very\s+|deeply\s+|genuinely\s+|truly\s+)?passionate\s+(?:about|for)\b",
    # "is proactive" — but not "is driven by data" or "is motivated to ship"
    rf"\bis\s+(?:very\s+|highly\s+|always\s+|extremely\s+|naturally\s+)?"
    rf"(?:{_TEMPERAMENTS}|{_AMBIGUOUS_TEMPERAMENTS})\b",
    # "has a growth mindset", "ownership mindset"
    r"\b(?:has|have|with|shows?|demonstrates?|brings?)\s+(?:an?\s+)?[\w-]+\s+mindset\b",
    r"\b(?:growth|ownership|owner|builder|product|customer[- ]first|learning|can[- ]do)\s+mindset\b",
    # "goes above and beyond"
    r"\bgoes\s+(?:above\s+and\s+beyond|the\s+extra\s+mile)\b",
)

# Knowing or being good at something, however strongly: "has a strong understanding of", "has a
# deep knowledge of", "is good at", "is familiar with".
_KNOWING_QUALIFIERS = (
    r"(?:(?:an?|very|really|strong|good|solid|deep|sound|clear|thorough|broad|basic|working|firm"
    r"|excellent|great|in[- ]depth|extensive|some)\s+)*"
)

#: Vague qualifiers: phrases that say a person knows or does enough of something without saying
#: what they do. Declared once; TRL201 reports each as written, and docs/lint-rules.md quotes them.
VAGUE_QUALIFIERS = (
    # "has a strong understanding of", "has deep knowledge of", "with a good grasp of"
    rf"\b(?:has|have|with|brings?|shows?|demonstrates?)\s+{_KNOWING_QUALIFIERS}"
    r"(?:understanding|knowledge|grasp|command|appreciation|awareness|experience)\s+(?:of|in|with)\b",
    # "is good at", "is comfortable with", "is familiar with", "is knowledgeable about"
    r"\bis\s+(?:very\s+|really\s+|quite\s+|highly\s+|generally\s+)?(?:good|great|strong|excellent|skilled"
    r"|proficient|competent|adept|comfortable|familiar|knowledgeable|experienced|well[- ]versed)"
    r"\s+(?:at|in|with|about)\b",
    # "understands the importance of"
    r"\bunderstands\s+the\s+(?:importance|value|basics|fundamentals)\s+of\b",
    # "etc.", "and so on": the rest of the list is left to the reader
    r"\betc\b\.?",
    r"\bet\s+cetera\b",
    r"\band\s+so\s+(?:on|forth)\b",
    # "as needed", "where appropriate": when is left to the reader
    r"\b(?:as|when|where)\s+(?:needed|appropriate|necessary|required)\b",
)

# One alternation, so each behaviour is scanned once; `finditer` never reports overlapping
# phrases, and at a given position the pattern listed first wins. Every pattern starts a word, and
# saying so up front lets the engine skip the inside of words without trying each alternative.
# A vague qualifier is told apart by its group's name.
_TRAIT = re.compile(
    r"\b(?=\w)(?:(?P<vague>"
    + "|".join(f"(?:{pattern})" for pattern in VAGUE_QUALIFIERS)
    + ")|(?:"
    + "|".join(f"(?:{pattern})" for pattern in _PATTERNS)
    + "))",
    re.IGNORECASE,
)


class Phrase(NamedTuple):
    """A phrase TRL201 reports: its text as written, and whether it is a vague qualifier (or a trait)."""

    text: str
    vague: bool


def find_phrases(text: str) -> list[Phrase]:
    """The trait phrases and vague qualifiers in `text`, as written, in order of appearance."""
    return [Phrase(match.group(0), match.group("vague") is not None) for match in _TRAIT.finditer(text)]


def trait_phrases(text: str) -> list[str]:
    """The text of every phrase `find_phrases` finds."""
    return [phrase.text for phrase in find_phrases(text)]
