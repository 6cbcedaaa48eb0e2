"""The framework as one self-contained HTML page: readable on a screen, printable, the PDF's source.

The page needs nothing from a network: the stylesheet is inlined, fonts are the reader's system
fonts, links only point inside the page. Every piece of framework text goes through
:func:`html.escape`, so a behaviour containing ``<script>`` shows those characters and runs nothing.
"""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from trellis.framework import shaping, wording
from trellis.framework.model import Family, Framework, Track
from trellis.framework.render.edition import Edition
from trellis.framework.render.presentation import (
    NOT_ASSESSED,
    split_paragraphs,
)


@cache
def stylesheet() -> str:
    """The CSS inlined into every page (also the PDF's print stylesheet)."""
    return resources.files("trellis.framework.render").joinpath("framework.css").read_text("utf-8")


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def escape_lines(text: str) -> str:
    """Escaped text whose line breaks stay visible (as <br>)."""
    return "<br>".join(escape(line.strip()) for line in text.splitlines() if line.strip())


def paragraphs(text: str) -> list[str]:
    """Text as <p> elements: blank lines separate paragraphs, single line breaks stay breaks."""
    return [
        "<p>" + "<br>".join(escape(line) for line in paragraph) + "</p>"
        for paragraph in split_paragraphs(text)
    ]


def description(text: str) -> list[str]:
    if not text.strip():
        return []
    return ['<div class="description">', *paragraphs(text), "</div>"]


def anchor(*parts: str) -> str:
    """An element id from identifiers and level codes (their characters are all valid in ids)."""
    return "-".join(parts)


def facts_list(facts: list[shaping.Fact]) -> list[str]:
    if not facts:
        return []
    lines = ["<dl>"]
    for fact in facts:
        lines.append(f"<dt>{escape(fact.label)}</dt>")
        if fact.items:
            items = "".join(f"<li>{escape_lines(item)}</li>" for item in fact.items)
            lines.append(f"<dd><ul>{items}</ul></dd>")
        else:
            lines.append(f"<dd>{escape_lines(fact.text)}</dd>")
    lines.append("</dl>")
    return lines


def render_html(framework: Framework, edition: Edition | None = None) -> str:
    """The whole framework as an HTML5 document (text ending in a newline), naming its edition
    under the title and in the footer when one is given."""
    title = f"{framework.name} — career framework"
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="Trellis">',
        f"<title>{escape(' '.join(title.split()))}</title>",
        "<style>",
        stylesheet().rstrip("\n"),
        "</style>",
        "</head>",
        "<body>",
        '<a class="skip-link" href="#main">Skip to the framework</a>',
        *_masthead(framework, edition),
        '<div class="layout">',
        *_contents(framework),
        '<main id="main">',
        *_scale(framework),
    ]
    for family in framework.families:
        lines.extend(_family(framework, family))
    lines.extend(_lateral_paths(framework))
    lines.extend(
        [
            "</main>",
            "</div>",
            "<footer>",
            f"<p>{escape(_footer_text(framework, edition))}</p>",
            "</footer>",
            "</body>",
            "</html>",
        ]
    )
    return "\n".join(lines) + "\n"


def _footer_text(framework: Framework, edition: Edition | None) -> str:
    name = " ".join(framework.name.split())
    version = f", version {' '.join(framework.version.split())}" if framework.version else ""
    if edition is not None:
        version = f", {edition.describe()}"
    return f"{name}{version}. Rendered by Trellis from the framework file."


def _masthead(framework: Framework, edition: Edition | None = None) -> list[str]:
    tracks = sum(len(family.tracks) for family in framework.families)
    levels = sum(len(track.levels) for family in framework.families for track in family.tracks)
    stats = " · ".join(
        [
            wording.count(len(framework.families), "job family", "job families"),
            wording.count(tracks, "track"),
            wording.count(levels, "level"),
        ]
    )
    lines = [
        '<header class="masthead">',
        '<p class="kicker">Career framework</p>',
        f"<h1>{escape_lines(framework.name)}</h1>",
    ]
    if edition is not None:
        lines.append(f'<p class="version edition">{escape(edition.describe())}</p>')
    elif framework.version:
        lines.append(f'<p class="version">Version {escape_lines(framework.version)}</p>')
    lines.append(f'<p class="stats">{stats}</p>')
    lines.extend(description(framework.description))
    lines.append("</header>")
    return lines


def _contents(framework: Framework) -> list[str]:
    lines = [
        '<nav class="contents" aria-labelledby="contents-heading">',
        '<h2 id="contents-heading">Contents</h2>',
        "<ol>",
        '<li><a href="#rating-scale">Rating scale</a></li>',
    ]
    for family in framework.families:
        lines.append(f'<li><a href="#{anchor("family", family.id)}">{escape_lines(family.name)}</a>')
        lines.append("<ol>")
        lines.append(f'<li><a href="#{anchor("ladder", family.id)}">Career ladder</a></li>')
        for track in family.tracks:
            lines.append(
                f'<li><a href="#{anchor("track", family.id, track.id)}">{escape_lines(track.name)}</a></li>'
            )
        if family.promotions:
            lines.append(f'<li><a href="#{anchor("promotions", family.id)}">Promotion criteria</a></li>')
        lines.append("</ol>")
        lines.append("</li>")
    if framework.lateral_paths:
        lines.append('<li><a href="#lateral-paths">Lateral paths</a></li>')
    lines.extend(["</ol>", "</nav>"])
    return lines


def _scale(framework: Framework) -> list[str]:
    lines = [
        '<section id="rating-scale">',
        "<h2>Rating scale</h2>",
        "<p>Every expected proficiency, rating and threshold in this framework uses this scale.</p>",
        '<div class="table-scroll">',
        "<table>",
        "<caption>Points of the rating scale with what each looks like in practice</caption>",
        '<thead><tr><th scope="col">Value</th><th scope="col">Label</th><th scope="col">Anchor</th></tr></thead>',
        "<tbody>",
    ]
    for point in sorted(framework.scale.points, key=lambda point: point.value):
        lines.append(
            f'<tr><th scope="row" class="number">{point.value}</th>'
            f"<td>{escape_lines(point.label)}</td><td>{escape_lines(point.anchor)}</td></tr>"
        )
    lines.extend(["</tbody>", "</table>", "</div>", "</section>"])
    return lines


def _family(framework: Framework, family: Family) -> list[str]:
    lines = [
        f'<section class="family" id="{anchor("family", family.id)}">',
        f"<h2>{escape_lines(family.name)}</h2>",
        *description(family.description),
        *_ladder(family),
    ]
    for track in family.tracks:
        lines.extend(_track(framework, family, track))
    if family.promotions:
        lines.extend(
            [
                f'<section id="{anchor("promotions", family.id)}">',
                "<h3>Promotion criteria</h3>",
            ]
        )
        for criteria in family.promotions:
            lines.extend(
                [
                    '<article class="criteria">',
                    f"<h4>{escape(shaping.promotion_title(family, criteria))}</h4>",
                    *facts_list(shaping.promotion_facts(framework, family, criteria)),
                    "</article>",
                ]
            )
        lines.append("</section>")
    lines.append("</section>")
    return lines


def _ladder(family: Family) -> list[str]:
    lines = [
        f'<section id="{anchor("ladder", family.id)}">',
        "<h3>Career ladder</h3>",
        '<div class="table-scroll">',
        '<table class="ladder">',
        f"<caption>The tracks of {escape(family.name)} side by side: levels in one row share a grade"
        "</caption>",
        "<thead><tr>",
        '<th scope="col">Grade</th>',
    ]
    for track in family.tracks:
        lines.append(f'<th scope="col">{escape_lines(track.name)}{_kind_note(track)}</th>')
    lines.extend(["</tr></thead>", "<tbody>"])
    # The document reads from the first level up; the ladder is shaped highest grade first.
    for row in reversed(shaping.ladder(family).rows):
        lines.append(f'<tr><th scope="row" class="number">{row.grade}</th>')
        for entries in row.cells:
            if not entries:
                lines.append('<td class="empty"></td>')
                continue
            marked = any(entry.crossover_notes for entry in entries)
            parts = []
            for entry in entries:
                level = entry.level
                part = (
                    f'<a class="code" href="#{anchor("level", family.id, level.code)}">{escape(level.code)}</a> '
                    f"{escape_lines(level.title)}"
                )
                if level.band is not None:
                    part += f'<span class="level-title">{escape(wording.band(level.band))}</span>'
                for note in entry.crossover_notes:
                    part += f'<span class="crossover-note-mark">{escape(note)}</span>'
                parts.append(part)
            cell_class = ' class="crossover"' if marked else ""
            lines.append(f"<td{cell_class}>{'<br>'.join(parts)}</td>")
        lines.append("</tr>")
    lines.extend(["</tbody>", "</table>", "</div>"])
    for crossing in shaping.crossings(family):
        lines.extend(
            [
                '<div class="crossover-note">',
                f"<h4>Crossover to {escape_lines(crossing.to_track.name)}</h4>",
                f"<p>{escape(crossing.sentence)} {escape(crossing.direction)}. {escape(crossing.way_back)}</p>",
            ]
        )
        if crossing.entry_criteria:
            items = "".join(f"<li>{escape_lines(item)}</li>" for item in crossing.entry_criteria)
            lines.append(f"<p>Entry criteria:</p><ul>{items}</ul>")
        lines.append("</div>")
    lines.append("</section>")
    return lines


def _kind_note(track: Track) -> str:
    label = wording.track_kind_note(track)
    return f'<span class="track-kind">{escape(label)}</span>' if label else ""


def _track(framework: Framework, family: Family, track: Track) -> list[str]:
    lines = [
        f'<section class="track" id="{anchor("track", family.id, track.id)}">',
        f"<h3>{escape_lines(track.name)}{_kind_note(track)}</h3>",
        *description(track.description),
        "<h4>Levels</h4>",
        '<div class="table-scroll">',
        "<table>",
        f"<caption>Levels of the {escape(track.name)} track, from the first to the last</caption>",
        "<thead><tr>"
        '<th scope="col">Code</th><th scope="col">Name</th><th scope="col">Title</th>'
        '<th scope="col">Grade</th><th scope="col">Summary</th><th scope="col">Band</th>'
        '<th scope="col">Minimum time in level</th>'
        "</tr></thead>",
        "<tbody>",
    ]
    for level in track.levels:
        title = escape_lines(level.title)
        if level.title_variants:
            title += f'<span class="level-title">Also: {escape(", ".join(level.title_variants))}</span>'
        band_text = escape(wording.band(level.band)) if level.band is not None else ""
        minimum = wording.months(level.min_months_in_level) if level.min_months_in_level is not None else ""
        lines.append(
            f'<tr id="{anchor("level", family.id, level.code)}">'
            f'<th scope="row" class="code">{escape(level.code)}</th>'
            f"<td>{escape_lines(level.name)}</td><td>{title}</td>"
            f'<td class="number">{track.grade_of(level.code)}</td>'
            f"<td>{escape_lines(level.summary)}</td><td>{band_text}</td><td>{minimum}</td></tr>"
        )
    lines.extend(["</tbody>", "</table>", "</div>"])
    lines.extend(_matrix(framework, family, track))
    lines.append("</section>")
    return lines


def _matrix(framework: Framework, family: Family, track: Track) -> list[str]:
    matrix = shaping.matrix(framework, family, track)
    if not matrix.rows:
        return []
    lines = [
        "<h4>Competencies by level</h4>",
        '<div class="table-scroll">',
        '<table class="matrix">',
        f"<caption>What each competency looks like at each level of the {escape(track.name)} track: "
        "the expected proficiency and the observable behaviour</caption>",
        "<thead><tr>",
        '<th scope="col">Competency</th>',
    ]
    for level in track.levels:
        lines.append(
            f'<th scope="col"><span class="code">{escape(level.code)}</span>'
            f'<span class="level-title">{escape_lines(level.title)}</span></th>'
        )
    lines.extend(["</tr></thead>", "<tbody>"])
    for row in matrix.rows:
        competency = row.competency
        kind = wording.competency_kind_label(row.kind, competency.category)
        header = f'{escape_lines(competency.name)}<span class="competency-meta">{escape(kind)}</span>'
        if competency.description:
            header += f'<p class="competency-meta">{escape_lines(competency.description)}</p>'
        lines.append(f'<tr><th scope="row">{header}</th>')
        for expected in row.cells:
            if expected is None:
                lines.append(f'<td class="not-assessed">{NOT_ASSESSED}</td>')
                continue
            rating = wording.rating_text(framework.scale, expected.proficiency)
            cell = f'<span class="proficiency">{escape(rating)}</span>'
            if expected.behaviour:
                cell += f"<p>{escape_lines(expected.behaviour)}</p>"
            lines.append(f"<td>{cell}</td>")
        lines.append("</tr>")
    lines.extend(["</tbody>", "</table>", "</div>"])
    return lines


def _lateral_paths(framework: Framework) -> list[str]:
    if not framework.lateral_paths:
        return []
    lines = [
        '<section id="lateral-paths">',
        "<h2>Lateral paths</h2>",
        "<p>Moves across job families: what carries over, and what there is to learn.</p>",
    ]
    for path in framework.lateral_paths:
        lines.extend(
            [
                '<article class="criteria">',
                f"<h3>{escape(shaping.lateral_title(framework, path))}</h3>",
                *description(path.description),
                *facts_list(shaping.lateral_facts(framework, path)),
                "</article>",
            ]
        )
    lines.append("</section>")
    return lines
