"""The framework as GitHub-flavoured Markdown, for a repository's README or wiki.

All text from the framework is treated as plain text: characters that Markdown would read as
markup (emphasis, links, raw HTML, table pipes) are escaped, so what the author wrote is what the
reader sees. The table of contents links to the heading anchors GitHub generates.
"""

from __future__ import annotations

import re
import unicodedata

from trellis.framework import shaping, wording
from trellis.framework.model import Family, Framework, Track
from trellis.framework.render.edition import Edition
from trellis.framework.render.presentation import (
    NOT_ASSESSED,
    split_paragraphs,
)

# Characters with a meaning anywhere in a line of GitHub Markdown (inline markup, raw HTML, tables).
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# An ampersand that would start a character reference such as "&amp;" or "&#60;".
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What makes a line a heading, quote, list item, thematic break or setext underline.
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+(?=[.)]))")


def escape_inline(text: str) -> str:
    """Escape `text` for use inside a line: it renders as the same characters, never as markup."""
    return _ENTITY_START.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", text))


def escape_line(text: str) -> str:
    """Escape a line that starts a block, so that "- item" or "# title" stay words."""
    escaped = escape_inline(text)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    indent, marker = match.groups()
    if marker.isdigit():
        # "1. First" is a list item; "1\. First" is the same words.
        end = match.end()
        return f"{escaped[:end]}\\{escaped[end:]}"
    return f"{indent}\\{escaped[len(indent) :]}"


def escape_cell(text: str) -> str:
    """Escape text for a table cell: pipes escaped, line breaks as <br>."""
    return "<br>".join(escape_inline(line.strip()) for line in text.splitlines() if line.strip())


def _paragraphs(text: str) -> list[str]:
    """Blocks of text; lines inside a paragraph end in a hard break (a backslash)."""
    lines: list[str] = []
    for paragraph in split_paragraphs(text):
        lines.append("\\\n".join(escape_line(line) for line in paragraph))
        lines.append("")
    return lines


def github_anchor(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    kept = []
    for character in text.lower():
        category = unicodedata.category(character)
        if character in " -_" or category[0] in "LNM" or category == "Pc":
            kept.append(character)
    return "".join(kept).replace(" ", "-")


class _Document:
    """Markdown lines plus the anchors of every heading, numbered the way GitHub numbers repeats."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._used: dict[str, int] = {}

    def anchor_for(self, text: str) -> str:
        base = github_anchor(text)
        count = self._used.get(base, 0)
        self._used[base] = count + 1
        return base if count == 0 else f"{base}-{count}"

    def heading(self, depth: int, text: str) -> str:
        """Append a heading for plain `text` (on one line); return its anchor."""
        text = " ".join(text.split())
        escaped = escape_inline(text)
        if escaped.endswith("#"):
            # A run of "#" after a space would close the heading and vanish; escaped, it stays.
            run = len(escaped) - len(escaped.rstrip("#"))
            escaped = f"{escaped[:-run]}\\{escaped[-run:]}"
        self.lines.extend([f"{'#' * depth} {escaped}", ""])
        return self.anchor_for(text)

    def paragraphs(self, text: str) -> None:
        self.lines.extend(_paragraphs(text))

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def table(self, header: list[str], rows: list[list[str]], numeric: tuple[int, ...] = ()) -> None:
        """A pipe table; `header` and `rows` are already escaped cells."""
        self.lines.append("| " + " | ".join(header) + " |")
        self.lines.append(
            "| " + " | ".join("---:" if index in numeric else "---" for index in range(len(header))) + " |"
        )
        for row in rows:
            self.lines.append("| " + " | ".join(cell or " " for cell in row) + " |")
        self.lines.append("")

    def facts(self, facts: list[shaping.Fact]) -> None:
        for fact in facts:
            if fact.items:
                self.lines.append(f"- **{escape_inline(fact.label)}:**")
                self.lines.extend(f"  - {escape_cell(item)}" for item in fact.items)
            else:
                self.lines.append(f"- **{escape_inline(fact.label)}:** {escape_cell(fact.text)}")
        self.lines.append("")


def render_markdown(framework: Framework, edition: Edition | None = None) -> str:
    """The whole framework as one Markdown document (text ending in a newline), naming its
    edition under the title when one is given."""
    body = _Document()
    body.heading(1, framework.name)
    if edition is not None:
        body.line(f"**{escape_cell(edition.describe())}**")
        body.line()
    if framework.version:
        body.line(f"Version {escape_cell(framework.version)}")
        body.line()
    body.paragraphs(framework.description)
    body.heading(2, "Contents")
    # The contents link to anchors of headings written after them: they are inserted here at the
    # end, once every heading (and so every repeated anchor's number) is known.
    contents_position = len(body.lines)
    contents: list[str] = []
    anchor = body.heading(2, "Rating scale")
    contents.append(f"- [Rating scale](#{anchor})")
    body.table(
        ["Value", "Label", "Anchor"],
        [
            [str(point.value), escape_cell(point.label), escape_cell(point.anchor)]
            for point in sorted(framework.scale.points, key=lambda point: point.value)
        ],
        numeric=(0,),
    )
    for family in framework.families:
        contents.extend(_family(body, framework, family))
    if framework.lateral_paths:
        anchor = body.heading(2, "Lateral paths")
        contents.append(f"- [Lateral paths](#{anchor})")
        for path in framework.lateral_paths:
            body.heading(3, shaping.lateral_title(framework, path))
            body.paragraphs(path.description)
            body.facts(shaping.lateral_facts(framework, path))

    lines = body.lines
    lines[contents_position:contents_position] = [*contents, ""]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def _family(document: _Document, framework: Framework, family: Family) -> list[str]:
    """Write one family; return its entries for the table of contents."""
    anchor = document.heading(2, family.name)
    contents = [f"- [{escape_cell(family.name)}](#{anchor})"]
    document.paragraphs(family.description)

    anchor = document.heading(3, "Career ladder")
    contents.append(f"  - [Career ladder](#{anchor})")
    header = ["Grade"] + [escape_cell(_track_with_kind(track)) for track in family.tracks]
    rows = []
    # The document reads from the first level up; the ladder is shaped highest grade first.
    for row in reversed(shaping.ladder(family).rows):
        cells = [str(row.grade)]
        for entries in row.cells:
            texts = []
            for entry in entries:
                text = escape_cell(wording.level_label(entry.level))
                if entry.level.band is not None:
                    text += f"<br>{escape_cell(wording.band(entry.level.band))}"
                for note in entry.crossover_notes:
                    text += f"<br>*{escape_cell(note)}*"
                texts.append(text)
            cells.append("<br>".join(texts))
        rows.append(cells)
    document.table(header, rows, numeric=(0,))
    for crossing in shaping.crossings(family):
        document.line(
            f"**Crossover to {escape_cell(crossing.to_track.name)}:** {escape_cell(crossing.sentence)} "
            + escape_inline(f"{crossing.direction}. {crossing.way_back}")
        )
        document.line()
        if crossing.entry_criteria:
            document.line("Entry criteria:")
            document.line()
            document.lines.extend(f"- {escape_cell(item)}" for item in crossing.entry_criteria)
            document.line()

    for track in family.tracks:
        anchor = document.heading(3, f"Track: {track.name}")
        contents.append(f"  - [Track: {escape_cell(track.name)}](#{anchor})")
        _track(document, framework, family, track)

    if family.promotions:
        anchor = document.heading(3, "Promotion criteria")
        contents.append(f"  - [Promotion criteria](#{anchor})")
        for criteria in family.promotions:
            document.heading(4, shaping.promotion_title(family, criteria))
            document.facts(shaping.promotion_facts(framework, family, criteria))
    return contents


def _track_with_kind(track: Track) -> str:
    label = wording.track_kind_note(track)
    return f"{track.name} ({label})" if label else track.name


def _track(document: _Document, framework: Framework, family: Family, track: Track) -> None:
    if wording.track_kind_note(track):
        document.line(f"*{wording.track_kind_note(track)}*")
        document.line()
    document.paragraphs(track.description)

    document.heading(4, "Levels")
    document.table(
        ["Code", "Name", "Title", "Grade", "Summary", "Band", "Minimum time in level"],
        [
            [
                escape_cell(level.code),
                escape_cell(level.name),
                escape_cell(level.title)
                + (
                    f"<br>Also: {escape_cell(', '.join(level.title_variants))}"
                    if level.title_variants
                    else ""
                ),
                str(track.grade_of(level.code)),
                escape_cell(level.summary),
                escape_cell(wording.band(level.band)) if level.band is not None else "",
                wording.months(level.min_months_in_level) if level.min_months_in_level is not None else "",
            ]
            for level in track.levels
        ],
        numeric=(3,),
    )

    matrix = shaping.matrix(framework, family, track)
    if not matrix.rows:
        return
    document.heading(4, "Competencies")
    for row in matrix.rows:
        kind = wording.competency_kind_label(row.kind, row.competency.category)
        line = f"- **{escape_cell(row.competency.name)}** ({escape_cell(kind)})"
        if row.competency.description:
            line += ": " + escape_cell(row.competency.description)
        document.line(line)
    document.line()

    document.heading(4, "Competencies by level")
    rows = []
    for row in matrix.rows:
        cells = [f"**{escape_cell(row.competency.name)}**"]
        for expected in row.cells:
            if expected is None:
                cells.append(f"*{NOT_ASSESSED}*")
                continue
            cell = f"**{escape_cell(wording.rating_text(framework.scale, expected.proficiency))}**"
            if expected.behaviour:
                cell += "<br>" + escape_cell(expected.behaviour)
            cells.append(cell)
        rows.append(cells)
    document.table(["Competency"] + [escape_cell(wording.level_label(level)) for level in track.levels], rows)
