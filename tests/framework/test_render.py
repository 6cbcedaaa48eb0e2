"""Renderers: golden files for the text formats, and checks of what the binary formats must hold.

Each folder under tests/cases/render/ holds a `framework.yaml` and its expected renderings
(`expected.md`, `expected.html`, `expected.csv`). After an intended change of output, regenerate
them with ``TRELLIS_UPDATE_GOLDEN=1 .venv/bin/pytest tests/framework/test_render.py`` and review the
diff before committing it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from pycel import ExcelCompiler
from pypdf import PdfReader

from trellis.cli import main
from trellis.framework.model import Framework
from trellis.framework.render import FORMATS, render
from trellis.framework.render.formula_safety import neutralise_formula
from trellis.framework.render.markdown import escape_cell, escape_line, github_anchor
from trellis.framework.render.xlsx_workbook import sheet_title
from trellis.framework.yaml_io import load_path

CASES = Path(__file__).resolve().parent.parent / "cases" / "render"
CASE_NAMES = sorted(path.name for path in CASES.iterdir() if (path / "framework.yaml").exists())
TEXT_FORMATS = {"md": "expected.md", "html": "expected.html", "csv": "expected.csv"}
UPDATE = os.environ.get("TRELLIS_UPDATE_GOLDEN") == "1"


def case_framework(name: str) -> Framework:
    return load_path(CASES / name / "framework.yaml")


def test_every_case_has_every_golden_file() -> None:
    assert CASE_NAMES == ["dual_track", "named_tracks_special_characters"]
    for name in CASE_NAMES:
        for expected in TEXT_FORMATS.values():
            assert (CASES / name / expected).exists() or UPDATE, f"{name}/{expected} is missing"


@pytest.mark.parametrize("fmt", sorted(TEXT_FORMATS))
@pytest.mark.parametrize("name", CASE_NAMES)
def test_text_rendering_matches_golden_file(name: str, fmt: str) -> None:
    # Bytes, not text: the CSV's CRLF row ends (RFC 4180) are part of what is checked.
    output = render(case_framework(name), fmt)
    golden = CASES / name / TEXT_FORMATS[fmt]
    if UPDATE:
        golden.write_bytes(output)
    assert output.decode("utf-8") == golden.read_bytes().decode("utf-8")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown format 'docx'"):
        render(case_framework("dual_track"), "docx")
    assert FORMATS == ("md", "html", "xlsx", "csv", "pdf")


def test_binary_formats_give_the_same_bytes_every_time() -> None:
    framework = case_framework("dual_track")
    assert render(framework, "xlsx") == render(framework, "xlsx")
    assert render(framework, "pdf") == render(framework, "pdf")


# --- HTML ---------------------------------------------------------------------------------------


class _ResourceCollector(HTMLParser):
    """Every URL the page would load or link to, and every inline style/script text."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        for name, value in attributes:
            if value is None:
                continue
            if name in ("src", "href", "action", "poster", "data", "formaction"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(part.strip().split(" ")[0] for part in value.split(","))
            elif name == "style":
                self.styles.append(value)
        if tag == "script":
            self.scripts += 1
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_html_makes_no_external_requests(name: str) -> None:
    page = render(case_framework(name), "html").decode("utf-8")
    collector = _ResourceCollector()
    collector.feed(page)
    assert collector.urls, "the page should at least link its own sections"
    assert [url for url in collector.urls if not url.startswith("#")] == []
    assert collector.scripts == 0
    css = "\n".join(collector.styles)
    assert "@import" not in css
    assert re.findall(r"url\(", css) == []


class _StructureCollector(HTMLParser):
    """Element ids, in-page link targets and the attributes of every header cell."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.fragments: set[str] = set()
        self.header_cells: list[dict[str, str | None]] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attributes)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        href = values.get("href")
        if href and href.startswith("#"):
            self.fragments.add(href[1:])
        if tag == "th":
            self.header_cells.append(values)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_html_links_resolve_and_header_cells_have_a_scope(name: str) -> None:
    collector = _StructureCollector()
    collector.feed(render(case_framework(name), "html").decode("utf-8"))
    assert collector.fragments - collector.ids == set()
    assert collector.header_cells
    assert [cell for cell in collector.header_cells if cell.get("scope") not in ("col", "row")] == []
    assert collector.tags.count("h1") == 1
    assert {"header", "nav", "main", "section", "caption", "thead", "tbody"} <= set(collector.tags)


def test_html_ladder_aligns_grades_and_marks_the_crossover() -> None:
    page = render(case_framework("dual_track"), "html").decode("utf-8")
    # Grade 3 holds IC3 beside M1, both marked as the two ends of the crossover.
    assert (
        '<tr><th scope="row" class="number">3</th>\n'
        '<td class="crossover"><a class="code" href="#level-engineering-IC3">IC3</a> Senior Software Engineer'
        '<span class="level-title">EUR 105,000–135,000</span>'
        '<span class="crossover-note-mark">Crossover to M1 (Management)</span></td>\n'
        '<td class="crossover"><a class="code" href="#level-engineering-M1">M1</a> Engineering Manager'
        '<span class="level-title">EUR 105,000–135,000</span>'
        '<span class="crossover-note-mark">Entry from IC3 (Individual contributor)</span></td>\n'
        "</tr>"
    ) in page
    # Grade 1 has no management level: that cell is empty.
    assert (
        '<td><a class="code" href="#level-engineering-IC1">IC1</a> Software Engineer I'
        '<span class="level-title">EUR 70,000–90,000</span></td>\n<td class="empty"></td>'
    ) in page


def test_html_escapes_every_piece_of_author_text() -> None:
    page = render(case_framework("named_tracks_special_characters"), "html").decode("utf-8")
    assert "<script>" not in page
    assert "Communication &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<html lang="en">' in page
    assert "@media print" in page


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_escapes_markup_and_table_syntax() -> None:
    assert escape_cell("a | b\nsecond <line>") == "a \\| b<br>second \\<line\\>"
    assert (
        escape_cell("*bold* _it_ [x](y) `code` &amp;") == "\\*bold\\* \\_it\\_ \\[x\\](y) \\`code\\` \\&amp;"
    )
    assert escape_line("# title") == "\\# title"
    assert escape_line("- item") == "\\- item"
    assert escape_line("12. item") == "12\\. item"
    assert escape_line("AT&T, 3 - 2") == "AT&T, 3 - 2"


def test_markdown_anchors_are_the_ones_github_generates() -> None:
    assert github_anchor("Track: Individual contributor") == "track-individual-contributor"
    assert github_anchor("Customer Success — Ελληνικά") == "customer-success--ελληνικά"
    page = render(case_framework("dual_track"), "md").decode("utf-8")
    # A repeated heading gets -1, -2… in document order, as on GitHub.
    assert "- [Design](#design)\n  - [Career ladder](#career-ladder-1)\n" in page


def test_markdown_tables_keep_their_shape_whatever_the_text() -> None:
    page = render(case_framework("named_tracks_special_characters"), "md").decode("utf-8")
    assert "<script>" not in page
    for table in re.findall(r"(?:^\|.*\|\n)+", page, flags=re.MULTILINE):
        rows = table.splitlines()
        # Unescaped pipes separate cells: every row of a table has as many as its header.
        assert len({len(re.findall(r"(?<!\\)\|", row)) for row in rows}) == 1, rows


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_is_tidy_and_neutralises_formulas() -> None:
    text = render(case_framework("named_tracks_special_characters"), "csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "family",
        "track",
        "track_kind",
        "level",
        "level_title",
        "grade",
        "competency",
        "competency_name",
        "category",
        "proficiency",
        "proficiency_label",
        "behaviour",
    ]
    assert all(len(row) == 12 for row in rows)
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert "'=SUM(A1)" in [row[4] for row in rows]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("", ""),
        ("Leads = others", "Leads = others"),
        ("'already quoted", "'already quoted"),
    ],
)
def test_formula_neutralisation(value: str, expected: str) -> None:
    assert neutralise_formula(value) == expected


# --- XLSX ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("xlsx") / "framework.xlsx"
    path.write_bytes(render(case_framework("named_tracks_special_characters"), "xlsx"))
    return path


def test_xlsx_has_the_template_sheets_formulas_and_validations(workbook_path: Path) -> None:
    workbook = openpyxl.load_workbook(workbook_path)
    assert workbook.sheetnames == [
        "Scale",
        "Matrix",
        "Customer Success - Relationship",
        "Customer Success - Strategy",
        "Assessment",
        "Gap analysis",
    ]
    assessment = workbook["Assessment"]
    assert assessment["B6"].value == '=IF($B$5="","",MATCH($B$5,Matrix!$A$2:$A$5,0))'
    assert [str(v.sqref) for v in assessment.data_validations.dataValidation] == ["B5", "E10:G12"]
    gap = workbook["Gap analysis"]
    assert gap["E14"].value == '=IF(C14="","",B14-C14)'
    formulas = [
        cell.value
        for sheet in ("Assessment", "Gap analysis")
        for row in workbook[sheet].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=")
    ]
    assert len(formulas) >= 20
    matrix = workbook["Matrix"]
    assert matrix["E2"].value == "'=SUM(A1)"


def test_xlsx_sheets_are_named_frozen_and_set_up_for_printing() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render(case_framework("dual_track"), "xlsx")))
    assert workbook.sheetnames == [
        "Scale",
        "Matrix",
        "Engineering - ic",
        "Engineering - Management",
        "Design - ic",
        "Assessment",
        "Gap analysis",
    ]
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.freeze_panes is not None
    behaviour = workbook["Engineering - ic"]
    assert behaviour["C1"].value == "IC1\nSoftware Engineer I"
    assert behaviour["E4"].value == "3 · Proficient\nDesigns a service boundary and documents its contracts."
    assert behaviour["E4"].alignment.wrap_text is True


def test_sheet_titles_are_valid_and_unique() -> None:
    used = {"matrix"}
    assert sheet_title("Matrix", used) == "Matrix (2)"
    assert sheet_title("A/B: [C]*?\\", used) == "A-B- -C----"
    long = "A family name that is far longer than Excel allows"
    assert sheet_title(long, used) == "A family name that is far longe"
    assert sheet_title(long, used) == "A family name that is far l (2)"
    assert sheet_title("'quoted'", used) == "quoted"


def test_xlsx_formulas_compute_the_gap_analysis(workbook_path: Path, tmp_path: Path) -> None:
    """Fill in a role and ratings as a person would, then evaluate the workbook's own formulas."""
    workbook = openpyxl.load_workbook(workbook_path)
    assessment = workbook["Assessment"]
    assessment["B5"] = "customer-success / strategy / CSS2"
    assessment["F10"] = 3  # manager rating of Communication; expected 4
    assessment["F12"] = 2  # manager rating of Account strategy, overridden by the agreed rating
    assessment["G12"] = 4  # agreed rating of Account strategy; expected 4
    filled = tmp_path / "filled.xlsx"
    workbook.save(filled)
    spreadsheet = ExcelCompiler(filename=str(filled))
    assert spreadsheet.evaluate("Assessment!C10") == 4
    assert spreadsheet.evaluate("Assessment!C11") == ""  # the strategy track does not assess Renewals
    assert spreadsheet.evaluate("Gap analysis!E14") == 1
    assert spreadsheet.evaluate("Gap analysis!F14") == "Below"
    assert spreadsheet.evaluate("Gap analysis!E16") == 0
    assert spreadsheet.evaluate("Gap analysis!F16") == "Meets"
    assert spreadsheet.evaluate("Gap analysis!B5") == 2  # competencies expected
    assert spreadsheet.evaluate("Gap analysis!B7") == 3.5  # average rating used
    assert spreadsheet.evaluate("Gap analysis!B9") == 1  # below expectation
    assert spreadsheet.evaluate("Gap analysis!B11") == "No"  # meets level


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_renders_and_its_first_page_converts_to_png(tmp_path: Path) -> None:
    pdf = tmp_path / "framework.pdf"
    assert main(["render", str(CASES / "dual_track" / "framework.yaml"), "--to", "pdf", "-o", str(pdf)]) == 0
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert "Page 1 of" in reader.pages[0].extract_text()
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils is installed by scripts/ensure-system-packages.sh"
    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert png.stat().st_size > 1000
