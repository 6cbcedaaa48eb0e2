"""Hypothesis strategies for frameworks that a spreadsheet matrix can carry exactly.

A matrix carries, per family: the family's competencies (id, name, category, description) in the
order they first appear on the track sheets; per track its name (the sheet name) and, through the
documented rules, its id and kind; per level its code and title (the level's name comes back equal
to its title); per competency and level the behaviour and, through the Expected proficiency sheet,
the proficiency. Everything else takes its default, so these strategies generate only defaults
there: no core competencies, no summaries, grades, bands, crossovers or promotion criteria.
"""

from __future__ import annotations

from hypothesis import strategies as st

from trellis.framework.model import Competency, Expectation, Family, Framework, Level, Track, TrackKind

FAMILY_NAME = "Engineering"
FAMILY_ID = "engineering"

# Text as people paste it into a spreadsheet: any printable character, newlines and tabs inside,
# quotes, and the characters a spreadsheet takes for the start of a formula.
_CHARACTERS = st.characters(
    exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"
) | st.sampled_from("\n\t=+-@'\"")
_TRICKY_STARTS = st.sampled_from(
    ["", "", "", "=", "+", "-", "@", "'", "''", "=SUM(A1:A3)", '"', "-1", "'tis "]
)


@st.composite
def cell_texts(draw: st.DrawFn, *, required: bool = False) -> str:
    """Cell text, stripped as the model stores it, often starting with a formula trigger; never
    empty when `required`."""
    text = (draw(_TRICKY_STARTS) + draw(st.text(_CHARACTERS, max_size=30))).strip()
    if required and not text:
        text = draw(st.sampled_from(["A", "é", "=", "'", "漢"]))
    return text


def single_line(text: str) -> bool:
    return "\n" not in text


_WORDS = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=7).filter(
    lambda word: "manag" not in word and word not in {"ic", "history", "about", "readme", "instructions"}
)


@st.composite
def track_names(draw: st.DrawFn, count: int) -> list[tuple[str, str, bool]]:
    """(name, id, is management) for `count` tracks, with names valid as sheet names."""
    names: list[tuple[str, str, bool]] = []
    if draw(st.booleans()):
        names.append(("Individual contributor", "ic", False))
    while len(names) < count:
        words = draw(st.lists(_WORDS, min_size=1, max_size=2))
        management = draw(st.booleans())
        if management:
            words.append("management")
        name = " ".join(words).capitalize()
        track_id = "_".join(words)
        if all(track_id != existing_id for _, existing_id, _ in names):
            names.append((name, track_id, management))
    return names[:count]


def expected_kind(is_management: bool, track_id: str, non_management_tracks: int) -> TrackKind:
    """The documented rule: "manag" in the name → management; the only other track, or the one
    named Individual contributor → ic; otherwise named."""
    if is_management:
        return TrackKind.MANAGEMENT
    if non_management_tracks == 1 or track_id == "ic":
        return TrackKind.IC
    return TrackKind.NAMED


_LEVEL_CODES = st.from_regex(r"[A-Z]{1,3}[0-9]{1,2}", fullmatch=True) | st.from_regex(
    r"[A-Z][a-z]{2,6}-[0-9]", fullmatch=True
)
_IDENTIFIERS = st.from_regex(r"[a-z][a-z0-9]{0,10}(_[a-z0-9]{1,5})?", fullmatch=True)


@st.composite
def matrix_frameworks(draw: st.DrawFn) -> Framework:
    """A one-family framework of 1–3 tracks, 2–7 levels each and 1–12 competencies."""
    competency_count = draw(st.integers(1, 12))
    ids = draw(st.lists(_IDENTIFIERS, min_size=competency_count, max_size=competency_count, unique=True))
    competencies = {
        competency_id: Competency(
            id=competency_id,
            name=draw(cell_texts(required=True)),
            category=draw(cell_texts()),
            description=draw(cell_texts()),
        )
        for competency_id in ids
    }
    track_count = draw(st.integers(1, 3))
    names = draw(track_names(track_count))
    level_counts = [draw(st.integers(2, 7)) for _ in names]
    codes = draw(st.lists(_LEVEL_CODES, min_size=sum(level_counts), max_size=sum(level_counts), unique=True))
    non_management = sum(1 for _, _, management in names if not management)
    tracks: list[Track] = []
    used: list[str] = []
    for index, ((name, track_id, management), level_count) in enumerate(
        zip(names, level_counts, strict=True)
    ):
        track_codes = codes[sum(level_counts[:index]) : sum(level_counts[: index + 1])]
        levels = []
        for code in track_codes:
            title = draw(st.one_of(st.just(code), cell_texts(required=True).filter(single_line)))
            levels.append(Level(code=code, name=title, title=title))
        on_track = draw(st.permutations(ids))[: draw(st.integers(0, len(ids)))]
        if index == track_count - 1:
            # Every competency appears on some sheet, or the matrix could not carry it.
            on_track += [c for c in ids if c not in used and c not in on_track]
        expectations = {}
        for competency_id in on_track:
            present = draw(st.lists(st.booleans(), min_size=level_count, max_size=level_count))
            expectations[competency_id] = {
                code: Expectation(proficiency=draw(st.integers(1, 5)), behaviour=draw(cell_texts()))
                for code, is_present in zip(track_codes, present, strict=True)
                if is_present
            }
            if competency_id not in used:
                used.append(competency_id)
        tracks.append(
            Track(
                id=track_id,
                name=name,
                kind=expected_kind(management, track_id, non_management),
                levels=levels,
                expectations=expectations,
            )
        )
    family = Family(
        id=FAMILY_ID,
        name=FAMILY_NAME,
        competencies=[competencies[competency_id] for competency_id in used],
        tracks=tracks,
    )
    return Framework(name=FAMILY_NAME, families=[family])
