"""From grids of cell text to a framework: header rows, level columns, competencies, track names,
level codes and expected proficiencies (see the package docstring for the rules)."""

from __future__ import annotations

import re

from trellis.framework.diagnostics import Severity
from trellis.framework.matrix.reading import read_grids
from trellis.framework.matrix.shared import (
    COMPETENCY_IDENTITY,
    DEFAULT_TRACK_ID,
    DEFAULT_TRACK_NAME,
    DUPLICATE_COLUMN,
    EXPECTED_PROFICIENCY,
    HEADER_SEARCH_ROWS,
    MISSING_COMPETENCY_NAME,
    NO_HEADER_ROW,
    OPTION_MISMATCH,
    UNREADABLE_LEVEL_COLUMN,
    _Grid,
    _normal,
    _Report,
    _shorten,
    _start,
)
from trellis.framework.matrix.tables import (
    _COMPETENCY_HEADERS,
    _IDENTIFIER,
    _column_role,
    _did_you_mean,
    _Draft,
    _fill_merged_cells,
    _find_header_row,
    _is_management,
    _LevelHeader,
    _parse_level_header,
    _Row,
    _slug,
    _Table,
    _track_id,
    _track_prefix,
    _unique,
)
from trellis.framework.model import (
    Competency,
    Expectation,
    Family,
    Framework,
    Level,
    RatingScale,
    Track,
    TrackKind,
)
from trellis.tabular import column_letter


def inferred_proficiencies(level_count: int, scale: RatingScale | None = None) -> list[int]:
    """The expected proficiency of each of `level_count` levels when a matrix does not give it.

    The levels are spread evenly over the scale: the first expects the scale's minimum, the last its
    maximum, those between the linear interpolation rounded half up (so the values never decrease).
    A single level expects the middle of the scale, rounded down. On the default 1–5 scale, five
    levels give 1, 2, 3, 4, 5; four give 1, 2, 4, 5; seven give 1, 2, 2, 3, 4, 4, 5.
    """
    scale = scale or RatingScale()
    low, high = scale.minimum, scale.maximum
    if level_count <= 0:
        return []
    if level_count == 1:
        return [low + (high - low) // 2]
    span = high - low
    # Integer arithmetic for "round half up": floor((2 * position * span + steps) / (2 * steps)).
    steps = level_count - 1
    return [low + (2 * position * span + steps) // (2 * steps) for position in range(level_count)]


class _MatrixReader(_Report):
    """Reads one matrix file; collects diagnostics instead of stopping at the first problem."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename)
        self.competencies: list[_Draft] = []

    # The whole read, top to bottom.

    def read(self, data: bytes, *, family: str, track: str | None, name: str | None) -> Framework | None:
        family_name = " ".join(family.split())
        if not family_name:
            self.report(
                OPTION_MISMATCH, "the family name is empty", _start(self.filename), "pass --family NAME"
            )
            return None
        grids, proficiency_grid, is_csv = read_grids(data, self)
        if not grids:
            return None
        if track is not None and not " ".join(track.split()):
            self.report(OPTION_MISMATCH, "the track name is empty", _start(self.filename))
            return None
        if track is not None and len(grids) > 1:
            self.report(
                OPTION_MISMATCH,
                f"--track names one track, but the workbook has {len(grids)} track sheets "
                f"({', '.join(str(g.sheet) for g in grids)})",
                _start(self.filename),
                "leave out --track: each sheet is a track named after the sheet",
            )
        tables = [table for grid in grids if (table := self._table(grid)) is not None]
        if not tables:
            return None
        self._name_tracks(tables, track, is_csv)
        self._resolve_competencies(tables)
        self._assign_level_codes(tables)
        proficiencies = None
        if proficiency_grid is not None:
            proficiencies = self._proficiencies(proficiency_grid, tables)
        if self.has_errors:
            return None
        return self._framework(tables, family_name, name, proficiencies)

    def _table(self, grid: _Grid) -> _Table | None:
        header_row = _find_header_row(
            grid, lambda cells: any(_normal(c) in _COMPETENCY_HEADERS for c in cells)
        )
        if header_row is None:
            where = "the file" if grid.sheet is None else f"sheet {grid.sheet}"
            self.report(
                NO_HEADER_ROW,
                f'{where} has no header row: none of its first {HEADER_SEARCH_ROWS} rows has a "competency" cell',
                grid.location(1, 1),
                "head the column of competency names with the word Competency",
            )
            return None
        competency_column = next(
            c
            for c in range(1, grid.column_count + 1)
            if _normal(grid.text(header_row, c)) in _COMPETENCY_HEADERS
        )
        last_header_row = header_row
        for first_row, first_column, last_row, _ in grid.merged:
            # A competency header merged down over several rows: the level headers span them too.
            if (first_row, first_column) == (header_row, competency_column):
                last_header_row = last_row
        table = _Table(grid, header_row, last_header_row)
        self._read_header(table)
        if not table.levels:
            self.report_at(
                UNREADABLE_LEVEL_COLUMN,
                grid,
                header_row,
                competency_column,
                "starts a header row that names no level",
                "add one column per level, headed by its code (IC3) or title",
            )
            return None
        _fill_merged_cells(grid, last_header_row)
        self._read_rows(table)
        return table

    def _read_header(self, table: _Table) -> None:
        grid = table.grid
        roles: dict[str, int] = {}
        merged_into: dict[int, int] = {}
        for first_row, first_column, last_row, last_column in grid.merged:
            if first_row <= table.header_row <= last_row:
                for column in range(first_column + 1, last_column + 1):
                    merged_into[column] = first_column
        row_count = grid.row_count
        for column in range(1, grid.column_count + 1):
            lines = [
                line.strip()
                for row in range(table.header_row, table.last_header_row + 1)
                for line in grid.text(row, column).split("\n")
                if line.strip()
            ]
            header = "\n".join(lines)
            role = _column_role(header)
            if role is not None:
                if role in roles:
                    self.report_at(
                        DUPLICATE_COLUMN,
                        grid,
                        table.header_row,
                        column,
                        f'is a second "{role}" column (the first is column {column_letter(roles[role])})',
                        "keep one of them",
                    )
                    continue
                roles[role] = column
            elif any(ch.isalnum() for ch in header):
                table.levels.append(_parse_level_header(header, column))
            else:
                # No header (or only "#", "-"...): a numbering or spacer column, unless it holds text.
                filled = [r for r in range(table.last_header_row + 1, row_count + 1) if grid.text(r, column)]
                if filled and not header:
                    if column in merged_into:
                        detail = f"its header cell is merged into {column_letter(merged_into[column])}{table.header_row}"
                    else:
                        detail = "its header cell is empty"
                    self.report_at(
                        UNREADABLE_LEVEL_COLUMN,
                        grid,
                        filled[0],
                        column,
                        f"holds text, but column {column_letter(column)} has no header ({detail})",
                        "give each level its own column and header, or delete the column",
                    )
        table.competency_column = roles["competency"]
        table.id_column = roles.get("id")
        table.category_column = roles.get("category")
        table.description_column = roles.get("description")

    def _read_rows(self, table: _Table) -> None:
        grid = table.grid
        columns = [
            c for c in (table.id_column, table.category_column, table.description_column) if c is not None
        ] + [level.column for level in table.levels]
        for row in range(table.last_header_row + 1, grid.row_count + 1):
            name = grid.text(row, table.competency_column)
            others = [c for c in columns if grid.text(row, c)]
            if not name:
                if others:
                    self.report_at(
                        MISSING_COMPETENCY_NAME,
                        grid,
                        row,
                        table.competency_column,
                        f"is empty, but row {row} holds text (in {column_letter(others[0])}{row})",
                        "name the competency, or delete the row",
                    )
                continue
            explicit_id = grid.text(row, table.id_column) if table.id_column else ""
            if explicit_id and not _IDENTIFIER.fullmatch(explicit_id):
                assert table.id_column is not None
                self.report_at(
                    COMPETENCY_IDENTITY,
                    grid,
                    row,
                    table.id_column,
                    f'holds "{_shorten(explicit_id)}", which is not a valid competency id',
                    "use lower-case letters and digits joined by '_' or '-', or leave it empty",
                )
                explicit_id = ""
            table.rows.append(
                _Row(
                    row=row,
                    name=name,
                    explicit_id=explicit_id,
                    category=grid.text(row, table.category_column) if table.category_column else "",
                    description=grid.text(row, table.description_column) if table.description_column else "",
                    behaviours={level.column: grid.text(row, level.column) for level in table.levels},
                )
            )

    # Across tables: names, identities and codes.

    def _name_tracks(self, tables: list[_Table], track_option: str | None, is_csv: bool) -> None:
        for table in tables:
            if track_option is not None and len(tables) == 1:
                table.track_name = " ".join(track_option.split())
            elif is_csv:
                table.track_name = DEFAULT_TRACK_NAME
            else:
                table.track_name = " ".join(str(table.grid.sheet).split())
        taken: set[str] = set()
        for table in tables:
            table.track_id = _unique(_track_id(table.track_name), taken)
            taken.add(table.track_id)
        management = [_is_management(t.track_name) for t in tables]
        others = management.count(False)
        for table, is_management in zip(tables, management, strict=True):
            if is_management:
                table.kind = TrackKind.MANAGEMENT
            elif others == 1 or _track_id(table.track_name) == DEFAULT_TRACK_ID:
                table.kind = TrackKind.IC
            else:
                table.kind = TrackKind.NAMED

    def _resolve_competencies(self, tables: list[_Table]) -> None:
        explicit = {row.explicit_id for table in tables for row in table.rows if row.explicit_id}
        drafts: dict[str, _Draft] = {}
        id_by_name: dict[str, str] = {}
        for table in tables:
            grid = table.grid
            on_sheet: dict[str, int] = {}
            for row in table.rows:
                if row.explicit_id:
                    competency_id = row.explicit_id
                    draft = drafts.get(competency_id)
                    if draft is not None and draft.name != row.name:
                        assert table.id_column is not None
                        self.report_at(
                            COMPETENCY_IDENTITY,
                            grid,
                            row.row,
                            table.competency_column,
                            f'names competency "{competency_id}" "{_shorten(row.name)}", '
                            f'but {draft.place} names it "{_shorten(draft.name)}"',
                            "use the same name on every sheet, or a different id",
                        )
                        continue
                else:
                    known = id_by_name.get(row.name)
                    competency_id = known or _unique(_slug(row.name, "competency"), explicit | set(drafts))
                if competency_id in on_sheet:
                    self.report_at(
                        COMPETENCY_IDENTITY,
                        grid,
                        row.row,
                        table.competency_column,
                        f'repeats competency "{_shorten(row.name)}" (first in row {on_sheet[competency_id]})',
                        "give each competency one row per sheet",
                    )
                    continue
                on_sheet[competency_id] = row.row
                row.competency_id = competency_id
                id_by_name.setdefault(row.name, competency_id)
                draft = drafts.get(competency_id)
                if draft is None:
                    drafts[competency_id] = _Draft(
                        competency_id,
                        row.name,
                        row.category,
                        row.description,
                        grid.place(row.row, table.competency_column),
                    )
                    continue
                for attribute, column in (
                    ("category", table.category_column),
                    ("description", table.description_column),
                ):
                    value = getattr(row, attribute)
                    if not value:
                        continue
                    if not getattr(draft, attribute):
                        setattr(draft, attribute, value)
                    elif getattr(draft, attribute) != value:
                        assert column is not None
                        self.report_at(
                            COMPETENCY_IDENTITY,
                            grid,
                            row.row,
                            column,
                            f'gives "{_shorten(row.name)}" a different {attribute} than {draft.place}; '
                            "the first one is kept",
                            severity=Severity.WARNING,
                        )
        self.competencies = list(drafts.values())

    def _assign_level_codes(self, tables: list[_Table]) -> None:
        # Prefixes already spelled out in explicit codes are not derived again for another track.
        prefixes = {
            match.group().upper()
            for table in tables
            for level in table.levels
            if level.code is not None and (match := re.match(r"[A-Za-z]+", level.code)) is not None
        }
        for table in tables:
            prefix: str | None = None
            for position, level in enumerate(table.levels, start=1):
                if level.code is not None:
                    continue
                if level.number is not None and len(tables) == 1:
                    level.code = f"L{level.number}"
                    continue
                if prefix is None:
                    prefix = _track_prefix(table.track_name, prefixes)
                    prefixes.add(prefix)
                level.code = f"{prefix}{level.number if level.number is not None else position}"
        family_codes: dict[str, tuple[_Table, _LevelHeader]] = {}
        for table in tables:
            grid = table.grid
            on_sheet: dict[str, _LevelHeader] = {}
            for level in table.levels:
                assert level.code is not None
                if level.code in on_sheet:
                    first = on_sheet[level.code]
                    self.report_at(
                        DUPLICATE_COLUMN,
                        grid,
                        table.header_row,
                        level.column,
                        f'heads level "{level.code}" a second time '
                        f"(first in {column_letter(first.column)}{table.header_row})",
                        "give each level one column with its own code",
                    )
                elif level.code in family_codes:
                    other_table, other = family_codes[level.code]
                    self.report_at(
                        DUPLICATE_COLUMN,
                        grid,
                        table.header_row,
                        level.column,
                        f'heads level "{level.code}", which {other_table.grid.place(other_table.header_row, other.column)} '
                        "already heads; a level code names one level in the family",
                        "head the columns with codes that differ between tracks (IC3, M3)",
                    )
                else:
                    on_sheet[level.code] = level
                    family_codes[level.code] = (table, level)

    def _proficiencies(self, grid: _Grid, tables: list[_Table]) -> dict[tuple[str, str, str], int]:
        wanted = ("track", "competency", "level", "proficiency")
        header_row = _find_header_row(grid, lambda cells: set(wanted) <= {_normal(c) for c in cells})
        if header_row is None:
            self.report(
                EXPECTED_PROFICIENCY,
                f"sheet {grid.sheet} has no header row with the columns track, competency, level and proficiency",
                grid.location(1, 1),
                "add that header row, or delete the sheet to infer proficiencies from level positions",
            )
            return {}
        columns = {
            _normal(grid.text(header_row, c)): c
            for c in range(grid.column_count, 0, -1)
            if _normal(grid.text(header_row, c)) in wanted
        }
        by_track: dict[str, _Table] = {}
        for table in tables:
            for label in (str(table.grid.sheet), table.track_name, table.track_id):
                by_track.setdefault(label, table)
        found: dict[tuple[str, str, str], int] = {}
        first_row: dict[tuple[str, str, str], int] = {}
        for row in range(header_row + 1, grid.row_count + 1):
            values = {key: grid.text(row, column) for key, column in columns.items()}
            if not any(values.values()):
                continue
            missing = next((key for key in wanted if not values[key]), None)
            if missing is not None:
                self.report_at(
                    EXPECTED_PROFICIENCY, grid, row, columns[missing], f"is empty; the row needs a {missing}"
                )
                continue
            matched = by_track.get(values["track"])
            if matched is None:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["track"],
                    f'names track "{_shorten(values["track"])}", which has no sheet',
                    _did_you_mean(values["track"], [str(t.grid.sheet) for t in tables]),
                )
                continue
            competency_id = matched.competency_for(values["competency"])
            if competency_id is None:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["competency"],
                    f'names competency "{_shorten(values["competency"])}", which sheet {matched.grid.sheet} does not have',
                    _did_you_mean(values["competency"], [r.name for r in matched.rows]),
                )
                continue
            codes = [str(level.code) for level in matched.levels]
            if values["level"] not in codes:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["level"],
                    f'names level "{_shorten(values["level"])}", which sheet {matched.grid.sheet} does not have',
                    _did_you_mean(values["level"], codes) or "levels: " + ", ".join(codes),
                )
                continue
            if not re.fullmatch(r"-?[0-9]{1,6}", values["proficiency"]):
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["proficiency"],
                    f'holds "{_shorten(values["proficiency"])}", which is not a whole number',
                )
                continue
            cell = (matched.track_id, competency_id, values["level"])
            if cell in found:
                self.report_at(
                    EXPECTED_PROFICIENCY,
                    grid,
                    row,
                    columns["track"],
                    f"repeats the proficiency of {values['competency']} at {values['level']} (first in row {first_row[cell]})",
                )
                continue
            found[cell] = int(values["proficiency"])
            first_row[cell] = row
        return found

    def _framework(
        self,
        tables: list[_Table],
        family_name: str,
        name: str | None,
        proficiencies: dict[tuple[str, str, str], int] | None,
    ) -> Framework:
        tracks: list[Track] = []
        for table in tables:
            inferred = inferred_proficiencies(len(table.levels))
            levels = [
                Level(code=str(h.code), name=h.title or str(h.code), title=h.title or str(h.code))
                for h in table.levels
            ]
            expectations: dict[str, dict[str, Expectation]] = {}
            for row in table.rows:
                assert row.competency_id is not None
                by_level: dict[str, Expectation] = {}
                for position, header in enumerate(table.levels):
                    code = str(header.code)
                    behaviour = row.behaviours.get(header.column, "")
                    key = (table.track_id, row.competency_id, code)
                    if proficiencies is not None and key in proficiencies:
                        by_level[code] = Expectation(proficiency=proficiencies[key], behaviour=behaviour)
                    elif behaviour or proficiencies is None:
                        # With a proficiency sheet, a blank cell it does not list is no expectation at
                        # all; that is how an exported track where a level skips a competency returns.
                        by_level[code] = Expectation(proficiency=inferred[position], behaviour=behaviour)
                expectations[row.competency_id] = by_level
            tracks.append(
                Track(
                    id=table.track_id,
                    name=table.track_name,
                    kind=table.kind,
                    levels=levels,
                    expectations=expectations,
                )
            )
        competencies = [
            Competency(id=d.id, name=d.name, category=d.category, description=d.description)
            for d in self.competencies
        ]
        family = Family(
            id=_slug(family_name, "family"), name=family_name, competencies=competencies, tracks=tracks
        )
        framework_name = " ".join((name or "").split()) or family_name
        return Framework(name=framework_name, families=[family])
