"""Search across a whole framework: families, tracks, levels with their titles and title variants,
competencies, behaviours, promotion and crossover criteria, lateral paths and the rating scale.

Build the index once per framework (it is immutable and safe to share between threads), then ask it
as often as needed::

    index = build_index(framework)
    results = index.search("staff engineer")

Matching ignores case and accents, and an entry matches when every word of the query occurs in it
(anywhere in a word: "design" finds "system design"). Results are ranked:

1. the whole query *is* a name, title, title variant, level code or identifier;
2. a name, title, variant or code starts with the query, as whole words;
3. every word of the query starts a word of the entry's names and titles;
4. the whole query occurs in a name or title;
5. every word occurs somewhere in the entry.

Within a rank, levels come first, then families, tracks, competencies, criteria, lateral paths,
behaviours and the rating scale, each in the framework's own order.

Every result carries an `Address`: the framework's own identifiers of the page and anchor where
the result lives, which a web app (or a renderer) turns into a link. The matched text comes as
`Fragment`\\ s marked matched or not, so the caller escapes the text and highlights the matches
itself; nothing here produces markup.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from trellis.framework import shaping, wording
from trellis.framework.model import Competency, CompetencyKind, Family, Framework, LateralPath

__all__ = [
    "KIND_LABELS",
    "Address",
    "Fragment",
    "Page",
    "ResultKind",
    "SearchIndex",
    "SearchResult",
    "build_index",
    "fold",
]

#: Longest query considered; anything beyond is ignored (a search box, not a document).
MAX_QUERY_LENGTH = 200
#: Default number of results `SearchIndex.search` returns.
DEFAULT_LIMIT = 200
#: Text longer than this is shown as a window around its first match.
_SNIPPET_LENGTH = 220
_SNIPPET_LEAD = 70


class ResultKind(StrEnum):
    """What a result is. The order here is the order of kinds within one rank."""

    LEVEL = "level"
    FAMILY = "family"
    TRACK = "track"
    COMPETENCY = "competency"
    CRITERIA = "criteria"
    LATERAL_PATH = "lateral_path"
    BEHAVIOUR = "behaviour"
    SCALE = "scale"


#: How each kind is headed when results are grouped, in plain words.
KIND_LABELS: dict[ResultKind, str] = {
    ResultKind.LEVEL: "Levels and titles",
    ResultKind.FAMILY: "Job families",
    ResultKind.TRACK: "Tracks",
    ResultKind.COMPETENCY: "Competencies",
    ResultKind.CRITERIA: "Promotion and crossover criteria",
    ResultKind.LATERAL_PATH: "Lateral paths",
    ResultKind.BEHAVIOUR: "Behaviours",
    ResultKind.SCALE: "Rating scale",
}

_KIND_ORDER = {kind: position for position, kind in enumerate(ResultKind)}


class Page(StrEnum):
    """The pages of a published framework a result can live on."""

    #: The framework's front page: families, the rating scale, the core competencies.
    INDEX = "index"
    #: One job family: its competencies, its ladder and crossovers.
    FAMILY = "family"
    #: One level of one track.
    LEVEL = "level"
    #: Every lateral path between families.
    LATERAL_PATHS = "lateral_paths"


@dataclass(frozen=True, slots=True)
class Address:
    """Where a result lives: a page, the identifiers that page needs, and an anchor on it.

    `family` is set for family and level pages, `track` and `level` for level pages; `anchor` is
    an element id on the page ("" for the top of it).
    """

    page: Page
    family: str = ""
    track: str = ""
    level: str = ""
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of a result's text; `matched` pieces are what the query found."""

    text: str
    matched: bool


@dataclass(frozen=True, slots=True)
class SearchResult:
    """One thing in the framework that matches a query.

    `title` names it, `context` says where it sits ("Engineering · Individual contributor"),
    `field` names the part of it the `fragments` come from ("Title variant", "Behaviour"), and
    `rank` is 1 (the query is its name or code) to 5 (the words occur somewhere in it).
    """

    kind: ResultKind
    title: str
    context: str
    field: str
    fragments: tuple[Fragment, ...]
    address: Address
    rank: int


# --- folding: case- and accent-insensitive text, mapped back to the original ---------------------


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> str:
    """`text` without case or accents ("Señor Ingénieur" → "senor ingenieur"), whitespace collapsed
    to single spaces: the form both queries and indexed text are compared in."""
    folded = text.lower() if text.isascii() else "".join(_fold_char(char) for char in text)
    return " ".join(folded.split())


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character (whitespace kept as it is) and, for every folded
    character, the index of the original character it came from."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = _fold_char(char)
        pieces.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(pieces), offsets


# --- the index -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Field:
    label: str
    text: str
    folded: str
    #: Names, titles, variants, codes and identifiers: what rank 1-4 compare against.
    key: bool


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: ResultKind
    title: str
    context: str
    address: Address
    fields: tuple[_Field, ...]
    #: Every field's folded text, joined: an entry matches when each query word occurs in it.
    haystack: str
    position: int


def _field(label: str, text: str, *, key: bool = False) -> _Field:
    return _Field(label=label, text=text, folded=fold(text), key=key)


def _identifier_words(identifier: str) -> str:
    """`system_design` → "system design", so identifiers are found by their words too."""
    return identifier.replace("_", " ").replace("-", " ")


class _Builder:
    """Collects the entries of one framework in its own reading order."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self.entries: list[_Entry] = []

    def add(
        self,
        kind: ResultKind,
        title: str,
        context: str,
        address: Address,
        fields: Iterable[_Field],
    ) -> None:
        kept = tuple(field for field in fields if field.text.strip())
        if not kept:
            return
        self.entries.append(
            _Entry(
                kind=kind,
                title=title,
                context=context,
                address=address,
                fields=kept,
                haystack="\n".join(field.folded for field in kept),
                position=len(self.entries),
            )
        )

    def build(self) -> list[_Entry]:
        framework = self.framework
        for point in framework.scale.points:
            self.add(
                ResultKind.SCALE,
                f"{point.value} · {point.label}",
                "Rating scale",
                Address(Page.INDEX, anchor=f"scale-{point.value}"),
                [_field("Label", point.label, key=True), _field("Anchor", point.anchor)],
            )
        for competency in framework.core_competencies:
            self._competency(
                competency, "Core competency", Address(Page.INDEX, anchor=f"competency-{competency.id}")
            )
        for family in framework.families:
            self._family(family)
        for number, path in enumerate(framework.lateral_paths, start=1):
            self._lateral_path(number, path)
        return self.entries

    def _competency(self, competency: Competency, context: str, address: Address) -> None:
        self.add(
            ResultKind.COMPETENCY,
            competency.name,
            context,
            address,
            [
                _field("Name", competency.name, key=True),
                _field("Identifier", _identifier_words(competency.id), key=True),
                _field("Category", competency.category),
                _field("Description", competency.description),
            ],
        )

    def _family(self, family: Family) -> None:
        framework = self.framework
        family_address = Address(Page.FAMILY, family=family.id)
        self.add(
            ResultKind.FAMILY,
            family.name,
            "Job family",
            family_address,
            [
                _field("Name", family.name, key=True),
                _field("Identifier", _identifier_words(family.id), key=True),
                _field("Description", family.description),
            ],
        )
        for item in shaping.family_competencies(framework, family):
            if item.kind is CompetencyKind.CORE and not item.family_wording:
                continue  # found once, as a core competency of the framework
            self._competency(
                item.competency,
                f"{family.name} · core competency in the family's words"
                if item.kind is CompetencyKind.CORE
                else f"{family.name} · functional competency",
                Address(Page.FAMILY, family=family.id, anchor=f"competency-{item.competency.id}"),
            )
        names = _competency_names(framework, family)
        for track in family.tracks:
            self.add(
                ResultKind.TRACK,
                track.name,
                family.name,
                Address(Page.FAMILY, family=family.id, anchor=f"track-{track.id}"),
                [_field("Name", track.name, key=True), _field("Description", track.description)],
            )
            if track.crossover is not None:
                crossover = track.crossover
                title = f"Crossover {crossover.from_level} → {crossover.to_level}"
                self.add(
                    ResultKind.CRITERIA,
                    title,
                    f"{family.name} · {track.name}",
                    Address(Page.FAMILY, family=family.id, anchor=f"crossover-{track.id}"),
                    [
                        _field("Crossover", title, key=True),
                        *(_field("Entry criterion", text) for text in crossover.entry_criteria),
                    ],
                )
            for level in track.levels:
                self.add(
                    ResultKind.LEVEL,
                    f"{level.code} · {level.title}",
                    f"{family.name} · {track.name} · {level.name}",
                    Address(Page.LEVEL, family=family.id, track=track.id, level=level.code),
                    [
                        _field("Title", level.title, key=True),
                        *(_field("Title variant", variant, key=True) for variant in level.title_variants),
                        _field("Level code", level.code, key=True),
                        _field("Level name", level.name, key=True),
                        _field("Scope", level.summary),
                        _field("Compensation band", wording.band(level.band) if level.band else ""),
                        _field(
                            "Minimum time in level",
                            wording.months(level.min_months_in_level)
                            if level.min_months_in_level is not None
                            else "",
                        ),
                    ],
                )
            for competency_id, by_level in track.expectations.items():
                name = names.get(competency_id, competency_id)
                for level in track.levels:
                    expectation = by_level.get(level.code)
                    if expectation is None:
                        continue
                    self.add(
                        ResultKind.BEHAVIOUR,
                        f"{name} at {level.code}",
                        f"{family.name} · {track.name} · "
                        f"{wording.rating_text(framework.scale, expectation.proficiency)}",
                        Address(
                            Page.LEVEL,
                            family=family.id,
                            track=track.id,
                            level=level.code,
                            anchor=f"competency-{competency_id}",
                        ),
                        [_field("Behaviour", expectation.behaviour)],
                    )
        for criteria in family.promotions:
            found = family.find_level(criteria.from_level)
            track_id = found[0].id if found is not None else ""
            details: list[_Field] = []
            if criteria.min_average is not None:
                details.append(
                    _field("Minimum average", f"Average of {wording.number(criteria.min_average)} or more")
                )
            for required in criteria.required:
                details.append(
                    _field(
                        "Required competency",
                        f"{names.get(required.competency, required.competency)} at "
                        f"{wording.number(required.minimum)} or more",
                    )
                )
            if criteria.time_at_next_level is not None:
                details.append(
                    _field(
                        "Time at the next level",
                        f"Operating at {criteria.to_level} for {wording.time_at_level(criteria.time_at_next_level)}",
                    )
                )
            details.extend(_field("Scope evidence", text) for text in criteria.scope_evidence)
            details.extend(_field("Outcome", text) for text in criteria.outcomes)
            title = f"Promotion {criteria.from_level} → {criteria.to_level}"
            self.add(
                ResultKind.CRITERIA,
                title,
                family.name,
                Address(
                    Page.LEVEL,
                    family=family.id,
                    track=track_id,
                    level=criteria.from_level,
                    anchor="promotion",
                ),
                [_field("Promotion", title, key=True), *details],
            )

    def _lateral_path(self, number: int, path: LateralPath) -> None:
        framework = self.framework
        source, destination = path.source, path.destination
        source_family = shaping.resolve(framework, source)[0]
        destination_family = shaping.resolve(framework, destination)[0]
        source_names = _competency_names(framework, source_family)
        destination_names = _competency_names(framework, destination_family)
        # Short on purpose: family and level code, so a title does not rank by level titles too.
        source_name = source_family.name if source_family is not None else source.family
        destination_name = destination_family.name if destination_family is not None else destination.family
        title = f"{source_name} {source.level} → {destination_name} {destination.level}"
        fields = [
            _field("Path", title, key=True),
            _field("Description", path.description),
            *(
                _field("Transferable", source_names.get(competency, competency))
                for competency in path.transferable
            ),
        ]
        for gap in path.gaps:
            fields.append(_field("Gap", destination_names.get(gap.competency, gap.competency)))
            fields.append(_field("Gap", gap.note))
        fields.extend(_field("Action", action) for action in path.actions)
        self.add(
            ResultKind.LATERAL_PATH,
            title,
            "Lateral path",
            Address(Page.LATERAL_PATHS, anchor=f"path-{number}"),
            fields,
        )


def _competency_names(framework: Framework, family: Family | None) -> dict[str, str]:
    """Competency id → name as `family` words it (core names with the family's overrides)."""
    return {key: competency.name for key, competency in shaping.competencies_by_id(framework, family).items()}


# --- querying --------------------------------------------------------------------------------------


def _starts_words(text: str, term: str) -> bool:
    """Whether `term` occurs in `text` at the start of a word."""
    start = text.find(term)
    while start != -1:
        if start == 0 or not text[start - 1].isalnum():
            return True
        start = text.find(term, start + 1)
    return False


def _starts_with_words(text: str, phrase: str) -> bool:
    """Whether `text` begins with `phrase` and the phrase ends where a word ends ("software
    engineer" begins "software engineer iii", not "software engineering manager")."""
    return text.startswith(phrase) and (len(text) == len(phrase) or not text[len(phrase)].isalnum())


def _rank(entry: _Entry, phrase: str, terms: list[str]) -> int:
    keys = [field.folded for field in entry.fields if field.key]
    if phrase in keys:
        return 1
    if any(_starts_with_words(key, phrase) for key in keys):
        return 2
    key_text = "\n".join(keys)
    if all(_starts_words(key_text, term) for term in terms):
        return 3
    if phrase in key_text:
        return 4
    return 5


def _best_field(entry: _Entry, phrase: str, terms: list[str], rank: int) -> _Field:
    """The field to show: for ranks 1-4 the name or title that matched; otherwise the field with
    the most query words (the whole query first), the first such in reading order."""
    if rank <= 2:
        for field in entry.fields:
            if field.key and (
                field.folded == phrase if rank == 1 else _starts_with_words(field.folded, phrase)
            ):
                return field
    best = entry.fields[0]
    best_score = -1.0
    for field in entry.fields:
        score: float = sum(1 for term in terms if term in field.folded) + (
            len(terms) if phrase in field.folded else 0
        )
        if rank <= 4 and field.key:
            score += 0.5
        if score > best_score:
            best, best_score = field, score
    return best


def _spans(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    """Every occurrence of every term in `folded`, overlapping ones merged, in order."""
    found: list[tuple[int, int]] = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            found.append((start, start + len(term)))
            start = folded.find(term, start + 1)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _fragments(text: str, terms: list[str]) -> tuple[Fragment, ...]:
    """`text` cut into matched and unmatched pieces; long text is shortened to a window around its
    first match, with an ellipsis where it was cut."""
    folded, offsets = _fold_with_offsets(text)
    # Terms were folded with whitespace collapsed; the text keeps its own, so a two-word term may
    # miss a double space here. Such a term simply goes unhighlighted.
    spans = [(offsets[start], offsets[end - 1] + 1) for start, end in _spans(folded, terms)]
    window_start, window_end = 0, len(text)
    if len(text) > _SNIPPET_LENGTH:
        first = spans[0][0] if spans else 0
        window_start = max(0, first - _SNIPPET_LEAD)
        if window_start:
            # Start at a word, not in the middle of one.
            space = text.find(" ", window_start)
            window_start = space + 1 if space != -1 and space < first else window_start
        window_end = min(len(text), window_start + _SNIPPET_LENGTH)
        if window_end < len(text):
            space = text.rfind(" ", window_start, window_end)
            window_end = space if space > (spans[0][1] if spans else window_start) else window_end
    pieces: list[Fragment] = []
    if window_start > 0:
        pieces.append(Fragment("…", matched=False))
    position = window_start
    for start, end in spans:
        start, end = max(start, window_start), min(end, window_end)
        if start >= end:
            continue
        if start > position:
            pieces.append(Fragment(text[position:start], matched=False))
        pieces.append(Fragment(text[start:end], matched=True))
        position = end
    if position < window_end:
        pieces.append(Fragment(text[position:window_end], matched=False))
    if window_end < len(text):
        pieces.append(Fragment("…", matched=False))
    return tuple(pieces)


class SearchIndex:
    """Everything searchable in one framework, folded once. Immutable after construction."""

    __slots__ = ("_entries",)

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._entries: tuple[_Entry, ...] = tuple(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[tuple[ResultKind, str]]:
        """Every entry's kind and title, in the framework's reading order (for inspection)."""
        return ((entry.kind, entry.title) for entry in self._entries)

    def _ranked(self, query: str) -> tuple[str, list[str], list[tuple[int, _Entry]]]:
        """The folded phrase, its words, and every matching entry with its rank, best first."""
        phrase = fold(query[:MAX_QUERY_LENGTH])
        if not phrase:
            return phrase, [], []
        terms = list(dict.fromkeys(phrase.split(" ")))
        ranked: list[tuple[int, int, int, _Entry]] = []
        for entry in self._entries:
            haystack = entry.haystack
            if all(term in haystack for term in terms):
                ranked.append((_rank(entry, phrase, terms), _KIND_ORDER[entry.kind], entry.position, entry))
        ranked.sort(key=lambda item: item[:3])
        return phrase, terms, [(rank, entry) for rank, _, _, entry in ranked]

    @staticmethod
    def _result(entry: _Entry, rank: int, phrase: str, terms: list[str]) -> SearchResult:
        field = _best_field(entry, phrase, terms, rank)
        return SearchResult(
            kind=entry.kind,
            title=entry.title,
            context=entry.context,
            field=field.label,
            fragments=_fragments(field.text, terms),
            address=entry.address,
            rank=rank,
        )

    def search(self, query: str, *, limit: int | None = DEFAULT_LIMIT) -> list[SearchResult]:
        """The entries matching every word of `query`, best first, at most `limit` of them (all
        when None). An empty or blank query matches nothing."""
        phrase, terms, ranked = self._ranked(query)
        if limit is not None:
            ranked = ranked[:limit]
        return [self._result(entry, rank, phrase, terms) for rank, entry in ranked]

    def search_by_kind(
        self, query: str, *, per_kind: int
    ) -> tuple[list[SearchResult], dict[ResultKind, int]]:
        """Like `search`, keeping at most `per_kind` results of each kind (best first), and how many
        entries of each kind match in all. Only the results kept are highlighted, so a query that
        matches everything costs little more than one that matches a few."""
        phrase, terms, ranked = self._ranked(query)
        totals: dict[ResultKind, int] = {}
        results = []
        for rank, entry in ranked:
            seen = totals.get(entry.kind, 0)
            totals[entry.kind] = seen + 1
            if seen < per_kind:
                results.append(self._result(entry, rank, phrase, terms))
        return results, totals

    def count(self, query: str) -> int:
        """How many entries match `query` in all (what `search` would return without a limit)."""
        return len(self._ranked(query)[2])


def build_index(framework: Framework) -> SearchIndex:
    """The search index of `framework`: build it once per framework version and keep it."""
    return SearchIndex(_Builder(framework).build())
