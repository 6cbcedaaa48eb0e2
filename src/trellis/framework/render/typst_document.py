"""The framework as a PDF typeset by Typst: A4 portrait for the text, landscape pages for each
track's competency matrix, page numbers and the edition in every footer, bookmarks from headings.

Typst (the `typst` package; its compiler is inside the wheel) lays out a large framework in a
second or two where an HTML layout engine takes half a minute; `make bench` compares them.

Author text never becomes markup: the document is generated in Typst's code mode and every piece
of framework text is a string literal made by :func:`typst_string`, so ``#``, ``*``, ``$``, ``[``,
``]``, ``<``, ``@``, backslashes and quotes print as themselves. The compiler reads no file and no
package: the source is handed over as bytes with an empty root, and only fonts installed on the
machine (DejaVu Sans, see scripts/ensure-system-packages.sh) are used. The document's date is the
edition's, so the same edition of a framework gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trellis.framework import shaping, wording
from trellis.framework.model import Family, Framework, Track
from trellis.framework.render.edition import Edition
from trellis.framework.render.presentation import (
    NOT_ASSESSED,
    competency_kind_text,
    expectation_of,
    split_paragraphs,
)

#: A run of this many letters without a break point gets break opportunities: a pasted URL or a
#: German compound must wrap inside its table cell rather than run off the page.
LONGEST_UNBROKEN = 24
_LONG_WORD = re.compile(rf"\S{{{LONGEST_UNBROKEN + 1},}}")
_ZERO_WIDTH_SPACE = "\u200b"


def _breakable(text: str) -> str:
    def split(match: re.Match[str]) -> str:
        word = match.group(0)
        return _ZERO_WIDTH_SPACE.join(
            word[start : start + LONGEST_UNBROKEN] for start in range(0, len(word), LONGEST_UNBROKEN)
        )

    return _LONG_WORD.sub(split, text)


def typst_string(text: str) -> str:
    """`text` as a Typst string literal (code mode), printed exactly as written when placed in
    content. Control characters other than line breaks and tabs are dropped: they have no glyph."""
    parts = ['"']
    for character in _breakable(text):
        if character == "\\":
            parts.append("\\\\")
        elif character == '"':
            parts.append('\\"')
        elif character == "\n":
            parts.append("\\n")
        elif character == "\t":
            parts.append(" ")
        elif ord(character) < 0x20 or 0x7F <= ord(character) < 0xA0:
            continue
        else:
            parts.append(character)
    parts.append('"')
    return "".join(parts)


def _one_line(text: str) -> str:
    """A title or name: its lines joined by spaces, as a string literal."""
    return typst_string(" ".join(text.split()))


def _lines(text: str) -> str:
    """Text whose line breaks stay visible: a content value of its stripped lines."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "[]"
    if len(lines) == 1:
        return typst_string(lines[0])
    return _joined([typst_string(line) for line in lines])


def _joined(pieces: list[str]) -> str:
    """Pieces one per line (the trailing comma keeps a single piece an array in Typst)."""
    if len(pieces) == 1:
        return pieces[0]
    return "(" + ", ".join(pieces) + ",).join(linebreak())"


def _paragraphs(text: str) -> list[str]:
    return [
        f"par({_joined([typst_string(line) for line in paragraph])})" for paragraph in split_paragraphs(text)
    ]


def _content(*pieces: str) -> str:
    """Pieces (each a code expression giving content or a string) joined into one content value."""
    present = [piece for piece in pieces if piece]
    if not present:
        return "[]"
    if len(present) == 1:
        return present[0]
    return "[" + "".join(f"#{{{piece}}}" for piece in present) + "]"


# The fixed part of every document: page set-up, type, colours and the small helpers the generated
# body calls. Nothing in it comes from the framework.
_PREAMBLE = """\
#let ink = rgb("#1d2630")
#let muted = rgb("#4f5d6b")
#let accent = rgb("#245b4f")
#let accent-soft = rgb("#e6f0ec")
#let rule = rgb("#d5dde3")
#let surface = rgb("#f6f8f9")
#let mark = rgb("#7a4a00")
#let mark-soft = rgb("#fdf3e1")
#set text(font: ("DejaVu Sans", "Noto Color Emoji"), size: 8.5pt, fill: ink, lang: "en", hyphenate: false, fallback: true)
#set par(leading: 0.5em, spacing: 0.8em)
#set heading(numbering: none)
#show heading: set text(fill: ink)
#show heading.where(level: 1): it => block(above: 0pt, below: 0.8em, text(size: 18pt, it.body))
#show heading.where(level: 2): it => block(above: 1.4em, below: 0.6em, text(size: 13pt, it.body))
#show heading.where(level: 3): it => block(above: 1.1em, below: 0.5em, text(size: 10.5pt, it.body))
#set table(stroke: 0.5pt + rule, inset: (x: 4pt, y: 3.5pt), align: left + top)
#show table.cell.where(y: 0): set text(weight: "bold")
#let head-fill(x, y) = if y == 0 { accent-soft } else if x == 0 { surface } else { none }
#let small(body) = text(size: 7.5pt, fill: muted, body)
#let pill(body) = box(fill: accent-soft, inset: (x: 3pt, y: 1.5pt), radius: 6pt,
  text(size: 7.5pt, weight: "bold", fill: accent, body))
#let note-box(body) = block(width: 100%, fill: mark-soft, stroke: (left: 2.5pt + mark),
  inset: (x: 8pt, y: 6pt), above: 0.8em, below: 0.8em, breakable: false, body)
#let facts(..items) = grid(columns: (30%, 1fr), column-gutter: 10pt, row-gutter: 5pt,
  ..items.pos())
#let criteria(title, body) = block(width: 100%, stroke: 0.5pt + rule, radius: 3pt,
  inset: 8pt, above: 0.8em, below: 0.8em, breakable: false,
  [#text(size: 9.5pt, weight: "bold", title) #v(2pt) #body])
"""


def _page_setup(name: str, edition_text: str, date: str) -> str:
    footer = typst_string(" ".join(name.split()) + (f" · {edition_text}" if edition_text else ""))
    return (
        f'#set document(title: {typst_string(" ".join(name.split()))}, author: "Trellis", date: {date})\n'
        '#set page(paper: "a4", margin: (x: 14mm, top: 14mm, bottom: 18mm),\n'
        "  footer: context text(size: 7.5pt, fill: muted,\n"
        f"    [#{footer} #h(1fr) Page #counter(page).display() of #counter(page).final().first()]))\n"
    )


def render_typst_source(framework: Framework, edition: Edition | None = None) -> str:
    """The Typst source of the framework's document (what ``pdf_document.render_pdf`` compiles)."""
    edition_text = edition.describe() if edition is not None else ""
    if edition is not None and edition.created is not None:
        moment = edition.created
        date = (
            f"datetime(year: {moment.year}, month: {moment.month}, day: {moment.day}, "
            f"hour: {moment.hour}, minute: {moment.minute}, second: {moment.second})"
        )
    else:
        date = "none"
    lines = [_PREAMBLE, _page_setup(framework.name, edition_text, date)]
    lines.extend(_masthead(framework, edition_text))
    lines.extend(_scale(framework))
    for family in framework.families:
        lines.extend(_family(framework, family))
    lines.extend(_lateral_paths(framework))
    return "\n".join(lines) + "\n"


# --- the parts of the document --------------------------------------------------------------------


def _masthead(framework: Framework, edition_text: str) -> list[str]:
    tracks = sum(len(family.tracks) for family in framework.families)
    levels = sum(len(track.levels) for family in framework.families for track in family.tracks)
    stats = " · ".join(
        [
            _count(len(framework.families), "job family", "job families"),
            _count(tracks, "track", "tracks"),
            _count(levels, "level", "levels"),
        ]
    )
    lines = [
        '#block(below: 4pt, text(size: 8pt, weight: "bold", fill: accent, tracking: 0.06em,'
        ' upper("Career framework")))',
        f"#heading(level: 1, {_one_line(framework.name)})",
    ]
    if edition_text:
        lines.append(f'#block(below: 4pt, text(size: 10pt, weight: "bold", {typst_string(edition_text)}))')
    if framework.version and not edition_text.startswith(f"Version {framework.version}"):
        version = typst_string("Version " + " ".join(framework.version.split()))
        lines.append(f"#block(below: 4pt, text(fill: muted, {version}))")
    lines.append(f"#block(text(fill: muted, {typst_string(stats)}))")
    lines.extend(f"#{piece}" for piece in _paragraphs(framework.description))
    lines.append("#line(length: 100%, stroke: 2pt + accent)")
    return lines


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _table(columns: str, header: Iterable[str], rows: Iterable[Iterable[str]], extra: str = "") -> str:
    """A table whose first row repeats on every page it spans; cells are code expressions."""
    header_cells = ", ".join(header)
    body = ",\n  ".join(", ".join(row) for row in rows)
    return f"#table(columns: {columns}, fill: head-fill{extra},\n  table.header({header_cells}),\n  {body}\n)"


def _scale(framework: Framework) -> list[str]:
    rows = [
        [typst_string(str(point.value)), _lines(point.label), _lines(point.anchor)]
        for point in sorted(framework.scale.points, key=lambda point: point.value)
    ]
    return [
        '#heading(level: 2, "Rating scale")',
        '#par("Every expected proficiency, rating and threshold in this framework uses this scale.")',
        _table("(auto, auto, 1fr)", ['"Value"', '"Label"', '"Anchor"'], rows),
    ]


def _family(framework: Framework, family: Family) -> list[str]:
    lines = [
        "#pagebreak(weak: true)",
        f"#heading(level: 1, {_one_line(family.name)})",
        *(f"#{piece}" for piece in _paragraphs(family.description)),
        *_ladder(family),
    ]
    for track in family.tracks:
        lines.extend(_track(framework, family, track))
    if family.promotions:
        lines.append('#heading(level: 2, "Promotion criteria")')
        for criteria in family.promotions:
            lines.append(
                f"#criteria({typst_string(shaping.promotion_title(family, criteria))}, "
                f"{_facts(shaping.promotion_facts(framework, family, criteria))})"
            )
    return lines


def _facts(facts: list[shaping.Fact]) -> str:
    if not facts:
        return "[]"
    cells: list[str] = []
    for fact in facts:
        cells.append(f'text(weight: "bold", {typst_string(fact.label)})')
        if fact.items:
            cells.append("list(" + ", ".join(_lines(item) for item in fact.items) + ")")
        else:
            cells.append(_lines(fact.text))
    return "facts(" + ", ".join(cells) + ")"


def _ladder(family: Family) -> list[str]:
    header = ['"Grade"']
    for track in family.tracks:
        header.append(_content(_lines(track.name), _kind_note(track)))
    rows: list[list[str]] = []
    # The document reads from the first level up; the ladder is shaped highest grade first.
    for row in reversed(shaping.ladder(family).rows):
        cells = [typst_string(str(row.grade))]
        for entries in row.cells:
            if not entries:
                cells.append("table.cell(fill: surface)[]")
                continue
            parts = []
            for entry in entries:
                level = entry.level
                pieces = [f'text(weight: "bold", {typst_string(level.code)})', '" "', _lines(level.title)]
                if level.band is not None:
                    pieces.append(f"linebreak() + small({typst_string(wording.band(level.band))})")
                for note in entry.crossover_notes:
                    pieces.append(
                        f'linebreak() + text(size: 7.5pt, weight: "bold", fill: mark, {typst_string(note)})'
                    )
                parts.append(_content(*pieces))
            content = _joined(parts)
            if any(entry.crossover_notes for entry in entries):
                cells.append(f"table.cell(fill: mark-soft, {content})")
            else:
                cells.append(content)
        rows.append(cells)
    columns = "(auto, " + ", ".join("1fr" for _ in family.tracks) + ")"
    lines = ['#heading(level: 2, "Career ladder")', _table(columns, header, rows)]
    for crossing in shaping.crossings(family):
        sentence = f"{crossing.sentence} {crossing.direction}. {crossing.way_back}"
        body = [
            f'text(weight: "bold", {typst_string("Crossover to " + " ".join(crossing.to_track.name.split()))})',
            f"par({typst_string(sentence)})",
        ]
        if crossing.entry_criteria:
            body.append('"Entry criteria:"')
            body.append("list(" + ", ".join(_lines(item) for item in crossing.entry_criteria) + ")")
        lines.append(f"#note-box({_content(*body)})")
    return lines


def _kind_note(track: Track) -> str:
    label = wording.track_kind_note(track)
    return f"linebreak() + small({typst_string(label)})" if label else ""


def _track(framework: Framework, family: Family, track: Track) -> list[str]:
    lines = [
        f"#heading(level: 2, {_content(_lines(track.name))})",
    ]
    label = wording.track_kind_note(track)
    if label:
        lines.append(f"#small({typst_string(label)})")
    lines.extend(f"#{piece}" for piece in _paragraphs(track.description))
    rows = []
    for level in track.levels:
        title = _lines(level.title)
        if level.title_variants:
            title = _content(
                title, f"linebreak() + small({typst_string('Also: ' + ', '.join(level.title_variants))})"
            )
        band = typst_string(wording.band(level.band)) if level.band is not None else '""'
        months = (
            typst_string(wording.months(level.min_months_in_level))
            if level.min_months_in_level is not None
            else '""'
        )
        rows.append(
            [
                f'text(weight: "bold", {typst_string(level.code)})',
                _lines(level.name),
                title,
                typst_string(str(track.grade_of(level.code))),
                _lines(level.summary),
                band,
                months,
            ]
        )
    header = ['"Code"', '"Name"', '"Title"', '"Grade"', '"Summary"', '"Band"', '"Minimum time in level"']
    lines.append('#heading(level: 3, "Levels")')
    lines.append(_table("(auto, 13%, 14%, auto, 1fr, 14%, 10%)", header, rows))
    lines.extend(_matrix(framework, family, track))
    return lines


def _matrix(framework: Framework, family: Family, track: Track) -> list[str]:
    """The competency matrix on landscape pages of its own: one column per level needs the width."""
    competencies = framework.competencies_for(family, track)
    if not competencies:
        return []
    header = ['"Competency"']
    for level in track.levels:
        header.append(_content(typst_string(level.code), f"linebreak() + small({_lines(level.title)})"))
    rows = []
    for competency in competencies:
        first = [
            _lines(competency.name),
            f"linebreak() + small({typst_string(competency_kind_text(framework, competency))})",
        ]
        if competency.description:
            first.append(f"parbreak() + small({_lines(competency.description)})")
        cells = [_content(*first)]
        for level in track.levels:
            expectation = expectation_of(track, competency.id, level.code)
            if expectation is None:
                cells.append(f'text(style: "italic", fill: muted, {typst_string(NOT_ASSESSED)})')
                continue
            pieces = [f"pill({typst_string(wording.rating_text(framework.scale, expectation.proficiency))})"]
            if expectation.behaviour:
                pieces.append(f"parbreak() + {_lines(expectation.behaviour)}")
            cells.append(_content(*pieces))
        rows.append(cells)
    columns = "(16%, " + ", ".join("1fr" for _ in track.levels) + ")"
    title = typst_string("Competencies by level: " + " ".join(track.name.split()))
    return [
        "#page(flipped: true)[",
        f"#heading(level: 3, {title})",
        _table(columns, header, rows, extra=", inset: (x: 3.5pt, y: 3pt)"),
        "]",
    ]


def _lateral_paths(framework: Framework) -> list[str]:
    if not framework.lateral_paths:
        return []
    lines = [
        "#pagebreak(weak: true)",
        '#heading(level: 1, "Lateral paths")',
        '#par("Moves across job families: what carries over, and what there is to learn.")',
    ]
    for path in framework.lateral_paths:
        body = [*_paragraphs(path.description), _facts(shaping.lateral_facts(framework, path))]
        lines.append(f"#criteria({typst_string(shaping.lateral_title(framework, path))}, {_content(*body)})")
    return lines
