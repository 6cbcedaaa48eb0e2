"""A track sheet understood as a table: the kinds of header, level headers, rows, and the ids,
codes and names derived from them."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from trellis.framework.matrix.shared import DEFAULT_TRACK_ID, HEADER_SEARCH_ROWS, _Grid, _normal
from trellis.framework.model import TrackKind

_COMPETENCY_HEADERS = frozenset({"competency", "competencies", "competency name"})
_ID_HEADERS = frozenset({"id", "competency id"})
_CATEGORY_HEADERS = frozenset({"category", "competency category"})
_DESCRIPTION_HEADERS = frozenset({"description", "competency description", "definition"})
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*")
_NUMBERED_HEADER = re.compile(r"(?:level|lvl)\.?\s*([0-9]{1,3})(?P<rest>.*)|([0-9]{1,3})", re.IGNORECASE)
_CODE_HEADER = re.compile(r"(?=[A-Za-z0-9_.-]*[0-9])([A-Za-z][A-Za-z0-9_.-]{0,15})(?P<rest>.*)", re.ASCII)


@dataclass(slots=True)
class _LevelHeader:
    column: int
    #: The code the header gives, or None when it is derived from the track (title headers).
    code: str | None
    #: N of a "Level N" or bare "N" header.
    number: int | None
    title: str


@dataclass(slots=True)
class _Row:
    row: int
    name: str
    explicit_id: str
    category: str
    description: str
    #: column → behaviour text
    behaviours: dict[int, str]
    competency_id: str | None = None


@dataclass(slots=True)
class _Draft:
    id: str
    name: str
    category: str
    description: str
    #: Where the competency first appears, for messages.
    place: str


@dataclass(slots=True)
class _Table:
    grid: _Grid
    header_row: int
    last_header_row: int
    levels: list[_LevelHeader] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    competency_column: int = 0
    id_column: int | None = None
    category_column: int | None = None
    description_column: int | None = None
    track_name: str = ""
    track_id: str = ""
    kind: TrackKind = TrackKind.IC

    def competency_for(self, text: str) -> str | None:
        """The id of the competency this sheet names by `text` (its id first, else its name)."""
        for row in self.rows:
            if row.competency_id == text:
                return text
        for row in self.rows:
            if row.name == text:
                return row.competency_id
        return None


def _find_header_row(grid: _Grid, is_header: Callable[[list[str]], bool]) -> int | None:
    columns = grid.column_count
    for row in range(1, HEADER_SEARCH_ROWS + 1):
        cells = [grid.text(row, column) for column in range(1, columns + 1)]
        if is_header(cells):
            return row
    return None


def _fill_merged_cells(grid: _Grid, last_header_row: int) -> None:
    """Give every cell of a merged range below the header the range's text: a category merged
    down over its competencies, or one behaviour merged across the levels it applies to."""
    for first_row, first_column, last_row, last_column in grid.merged:
        if first_row <= last_header_row:
            continue
        text = grid.text(first_row, first_column)
        if not text:
            continue
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                grid.cells[row, column] = text


def _column_role(header: str) -> str | None:
    normal = _normal(header)
    if normal in _COMPETENCY_HEADERS:
        return "competency"
    if normal in _ID_HEADERS:
        return "id"
    if normal in _CATEGORY_HEADERS:
        return "category"
    if normal in _DESCRIPTION_HEADERS:
        return "description"
    return None


def _parse_level_header(header: str, column: int) -> _LevelHeader:
    """Code, number and title of a level column from its header (see the module docstring)."""
    first, *rest = header.split("\n")
    title_lines = [line for line in rest if line]
    numbered = _NUMBERED_HEADER.fullmatch(first)
    if numbered is not None:
        bare_number = numbered.group(3)
        inline = "" if bare_number else _separated_title(numbered.group("rest"))
        if inline is not None:
            number = int(bare_number or numbered.group(1))
            title = " ".join(filter(None, [inline, *title_lines])) or f"Level {number}"
            return _LevelHeader(column, None, number, title)
    coded = _CODE_HEADER.fullmatch(first)
    if coded is not None and any(character.isdigit() for character in coded.group(1)):
        inline = _separated_title(coded.group("rest"))
        if inline is not None:
            code = coded.group(1)
            return _LevelHeader(column, code, None, " ".join(filter(None, [inline, *title_lines])) or code)
    return _LevelHeader(column, None, None, " ".join([first, *title_lines]))


def _separated_title(rest: str) -> str | None:
    """The title after a code in one line (``IC3 - Senior``, ``IC3: Senior``, ``IC3 (Senior)``,
    ``IC3 Senior``): "" when nothing follows, None when the code runs on into other text."""
    if not rest:
        return ""
    stripped = rest.strip()
    if stripped.startswith("(") and stripped.endswith(")"):
        return stripped[1:-1].strip()
    if stripped[:1] in ("-", "–", "—", ":", "|"):
        return stripped[1:].strip()
    if rest[0].isspace():
        return stripped
    return None


def _slug(text: str, fallback: str) -> str:
    """An identifier made from `text`: ASCII letters and digits joined by ``_``, starting with a
    letter (prefixed with `fallback` otherwise), at most 60 characters."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")
    if not slug:
        return fallback
    if not slug[0].isalpha():
        slug = f"{fallback}_{slug}"
    return slug[:60].rstrip("_")


def _unique(base: str, taken: set[str]) -> str:
    candidate, suffix = base, 2
    while candidate in taken:
        candidate = f"{base}_{suffix}"
        suffix += 1
    return candidate


def _track_id(name: str) -> str:
    """A track's id: ``ic`` for the individual contributor track, else the slug of its name."""
    if _normal(name) in {"ic", "individual contributor", "individual contributors"}:
        return DEFAULT_TRACK_ID
    return _slug(name, "track")


def _is_management(name: str) -> bool:
    return "manag" in name.casefold()


def _track_prefix(name: str, taken: set[str]) -> str:
    """Upper-case letters for derived level codes: the initials of the track name ("Individual
    contributor" → IC), lengthened from its first word when another track already uses them."""
    words = re.findall(r"[A-Za-z]+", unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode())
    initials = "".join(word[0] for word in words).upper() or "L"
    candidates = [initials[:4]]
    if words:
        candidates += [words[0][:length].upper() for length in range(2, len(words[0]) + 1)]
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    return next(
        initials[:3] + letter for letter in string.ascii_uppercase if initials[:3] + letter not in taken
    )


def _did_you_mean(word: str, candidates: Sequence[str]) -> str:
    from trellis.framework.diagnostics import did_you_mean

    return did_you_mean(word, candidates)
