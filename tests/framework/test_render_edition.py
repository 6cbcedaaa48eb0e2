"""The PDF typeset by Typst (author text never becomes markup; landscape matrices) and the edition
every format names."""

from __future__ import annotations

import csv
import datetime
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from trellis.cli import EXIT_USAGE, main
from trellis.framework.model import Framework
from trellis.framework.render import Edition, render
from trellis.framework.render.pdf_document import PdfRenderError
from trellis.framework.render.typst_document import LONGEST_UNBROKEN, render_typst_source, typst_string
from trellis.framework.render.yaml_document import yaml_with_edition
from trellis.framework.yaml_io import load_path

CASES = Path(__file__).resolve().parent.parent / "cases" / "render"
PUBLISHED = datetime.datetime(2026, 12, 1, 9, 30, 15, tzinfo=datetime.UTC)
VERSION_3 = Edition.version(number=3, published=PUBLISHED)
A4 = (595, 842)
A4_LANDSCAPE = (842, 595)

#: Text that means something in Typst markup or code, and text that is hard to lay out.
HOSTILE = (
    "#set page(width: 1pt) *bold* _it_ $x^2$ [link] <label> @ref // not a comment /* nor this */ "
    '\\ backslash "quoted" `raw` = heading - list + enum ~ ' + "}{)(#{panic()}"
)
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen" * 2
RTL = "מנהלת צוות — مديرة الفريق"
EMOJI = "Ships 🚀 with care 👩‍💻"


def dual_track() -> Framework:
    return load_path(CASES / "dual_track" / "framework.yaml")


def hostile_framework() -> Framework:
    framework = dual_track()
    family = framework.families[0]
    track = family.tracks[0]
    level = track.levels[0]
    competency = next(iter(track.expectations))
    expectation = track.expectations[competency][level.code]
    track.expectations[competency][level.code] = expectation.model_copy(
        update={"behaviour": f"{HOSTILE}\n{LONG_WORD}\n{RTL} {EMOJI}"}
    )
    track.levels[0] = level.model_copy(update={"title": f"{HOSTILE} title"})
    family = family.model_copy(update={"description": f"{HOSTILE}\n\n{RTL}"})
    return framework.model_copy(
        update={"name": f"Acme #1 *Labs* {EMOJI}", "families": [family, *framework.families[1:]]}
    )


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    return [
        (round(float(page.mediabox.width)), round(float(page.mediabox.height)))
        for page in PdfReader(io.BytesIO(pdf)).pages
    ]


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab here"'),
        ("bell\x07 and \x7f", '"bell and "'),
        ("#let x = 1 $y$ [z]", '"#let x = 1 $y$ [z]"'),
    ],
)
def test_typst_string_literals(text: str, literal: str) -> None:
    assert typst_string(text) == literal


def test_long_words_get_break_opportunities() -> None:
    literal = typst_string(LONG_WORD)
    pieces = literal.strip('"').split("\u200b")
    assert "".join(pieces) == LONG_WORD
    assert max(len(piece) for piece in pieces) == LONGEST_UNBROKEN


def test_author_text_appears_only_inside_string_literals() -> None:
    source = render_typst_source(hostile_framework(), VERSION_3)
    # Every occurrence of the hostile text is the escaped literal, never bare markup.
    assert HOSTILE not in source
    assert typst_string(HOSTILE) in source


def test_hostile_text_prints_as_written(tmp_path: Path) -> None:
    pdf = render(hostile_framework(), "pdf", VERSION_3)
    text = pdf_text(pdf)
    for piece in ["#set page(width: 1pt)", "*bold*", "$x^2$", "[link]", "<label>", "@ref", "// not a comment",
                  '"quoted"', "#{panic()}"]:  # fmt: skip
        assert piece in text, piece
    assert "Acme #1 *Labs*" in text
    assert page_sizes(pdf)[0] == A4  # the page set-up was not overridden by the text
    # The long word wraps inside its cell: every piece of it is on the page.
    assert LONG_WORD[:LONGEST_UNBROKEN] in text.replace("\u200b", "")
    # Right-to-left text keeps its letters (pypdf gives them in logical or visual order).
    assert "מנהלת" in text or "תלהנמ" in text
    assert "مديرة" in text or "ةريدم" in text


def test_the_pdf_has_portrait_text_and_landscape_competency_matrices(tmp_path: Path) -> None:
    pdf = render(dual_track(), "pdf", VERSION_3)
    reader = PdfReader(io.BytesIO(pdf))
    sizes = page_sizes(pdf)
    assert sizes[0] == A4
    matrix_pages = [
        index for index, page in enumerate(reader.pages) if "Competencies by level:" in page.extract_text()
    ]
    assert matrix_pages
    assert {sizes[index] for index in matrix_pages} == {A4_LANDSCAPE}
    first = reader.pages[0].extract_text()
    assert "Version 3, published 1 December 2026" in first
    assert f"Page 1 of {len(reader.pages)}" in first
    # Bookmarks: the title and each family at the top, their sections inside.
    assert [item.title for item in reader.outline if not isinstance(item, list)][:2] == [
        "Northwind Labs",
        "Engineering",
    ]
    assert reader.outline[1][0].title == "Rating scale"
    path = tmp_path / "framework.pdf"
    path.write_bytes(pdf)
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils is installed by scripts/ensure-system-packages.sh"
    page = matrix_pages[0] + 1
    subprocess.run(
        [pdftoppm, "-png", "-r", "30", "-f", str(page), "-l", str(page), str(path), str(tmp_path / "matrix")],
        check=True,
    )
    (png,) = tmp_path.glob("matrix*.png")
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_same_edition_gives_the_same_bytes_and_another_edition_other_bytes() -> None:
    framework = dual_track()
    for fmt in ("pdf", "xlsx"):
        assert render(framework, fmt, VERSION_3) == render(framework, fmt, VERSION_3)
        assert render(framework, fmt, VERSION_3) != render(framework, fmt, Edition.draft(revision=7))


def test_xlsx_properties_carry_the_edition_and_its_real_creation_time() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(render(dual_track(), "xlsx", VERSION_3)))
    properties = workbook.properties
    assert (properties.created, properties.modified) == (PUBLISHED.replace(tzinfo=None),) * 2
    assert (properties.version, properties.subject) == ("Version 3", "Version 3, published 1 December 2026")
    assert {sheet.oddFooter.left.text for sheet in workbook.worksheets} == {
        "Version 3, published 1 December 2026"
    }
    assert {sheet.page_setup.orientation for sheet in workbook.worksheets} == {"landscape"}
    saved = datetime.datetime(2026, 11, 30, 17, 5, tzinfo=datetime.UTC)
    draft = openpyxl.load_workbook(
        io.BytesIO(render(dual_track(), "xlsx", Edition.draft(revision=7, saved=saved)))
    )
    assert (draft.properties.created, draft.properties.revision) == (saved.replace(tzinfo=None), "7")
    assert draft.worksheets[0].oddFooter.left.text == "Draft, revision 7"


def test_every_text_format_names_the_edition() -> None:
    framework = dual_track()
    edition = Edition.draft(revision=7)
    assert "**Draft, revision 7**" in render(framework, "md", edition).decode()
    assert '<p class="version edition">Draft, revision 7</p>' in render(framework, "html", edition).decode()
    rows = list(csv.reader(io.StringIO(render(framework, "csv", edition).decode())))
    assert rows[0][-1] == "edition"
    assert {row[-1] for row in rows[1:]} == {"Draft, revision 7"}
    assert "Draft, revision 7" in pdf_text(render(framework, "pdf", edition))
    assert yaml_with_edition("name: X\n", name="Acme\nLabs", edition=VERSION_3) == (
        "# Acme Labs — Version 3, published 1 December 2026\nname: X\n"
    )


def test_the_cli_names_the_edition_it_is_given(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = str(CASES / "dual_track" / "framework.yaml")
    output = tmp_path / "out.md"
    assert main(["render", source, "--to", "md", "-o", str(output), "--published", "2026-12-01"]) == 0
    assert "**Version 2026.1, published 1 December 2026**" in output.read_text()
    assert (
        main(["render", source, "--to", "md", "-o", str(output), "--edition", "Draft", "--revision", "4"])
        == 0
    )
    assert "**Draft, revision 4**" in output.read_text()
    assert main(["render", source, "--to", "md", "-o", str(output), "--published", "yesterday"]) == EXIT_USAGE
    assert (
        "argument --published: 'yesterday' is not a date: write it as YYYY-MM-DD" in capsys.readouterr().err
    )
    unversioned = tmp_path / "unversioned.yaml"
    unversioned.write_text(Path(source).read_text().replace('version: "2026.1"\n', ""), encoding="utf-8")
    assert main(["render", str(unversioned), "--to", "md", "-o", str(output)]) == 0
    assert "**Draft**" in output.read_text()
    published = ["--published", "2026-12-01"]
    assert main(["render", str(unversioned), "--to", "md", "-o", str(output), *published]) == EXIT_USAGE
    assert capsys.readouterr().err == (
        "trellis render: --published needs a version: give --edition, or a version in the file\n"
    )


def test_a_document_the_compiler_refuses_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "trellis.framework.render.pdf_document.render_typst_source", lambda framework, edition: "#panic(1)"
    )
    with pytest.raises(PdfRenderError, match=r"the PDF could not be typeset: .*panicked"):
        render(dual_track(), "pdf")
