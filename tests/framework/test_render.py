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


def test_html_escapes_every_piece_of_author_text() -> None:
    page = render(case_framework("named_tracks_special_characters"), "html").decode("utf-8")
    assert "<script>" not in page
    assert "Communication &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<html lang="en">' in page
    assert "@media print" in page


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
        "Customer Success — Ελληνικά - R",
        "Customer Success — Ελληνικά - S",
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
    assert len(PdfReader(pdf).pages) >= 2
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils is installed by scripts/ensure-system-packages.sh"
    subprocess.run(
        [pdftoppm, "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert png.stat().st_size > 1000
