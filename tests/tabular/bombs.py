"""Hostile and large uploads, built byte by byte (shared by the tests and `bench/uploads.py`).

Each builder writes the XLSX parts by hand with zipfile, so a file can hold what no spreadsheet
application would write: a row of millions of cells, a huge shared-strings part, a part that
expands thousands of times.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from trellis.tabular import column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)


def xlsx(
    sheet_chunks: Iterable[bytes],
    *,
    sheet: str = "Sheet1",
    shared_strings: Iterable[bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A one-sheet workbook whose sheet XML is `sheet_chunks` inside ``<sheetData>``, streamed
    into the archive (so a bomb never has to exist uncompressed in memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("xl/workbook.xml", _WORKBOOK.replace("{name}", sheet))
        archive.writestr("xl/_rels/workbook.xml.rels", _RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=False) as part:
            part.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
            )
            for chunk in sheet_chunks:
                part.write(chunk)
            part.write(b"</sheetData></worksheet>")
        if shared_strings is not None:
            with archive.open("xl/sharedStrings.xml", "w") as part:
                part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode())
                for chunk in shared_strings:
                    part.write(chunk)
                part.write(b"</sst>")
    return buffer.getvalue()


def inline(text: str) -> str:
    return f"<is><t>{text}</t></is>"


def row_xml(number: int, values: Iterable[str]) -> bytes:
    """A row of inline-string cells."""
    cells = "".join(
        f'<c r="{column_letter(column)}{number}" t="inlineStr">{inline(value)}</c>'
        for column, value in enumerate(values, start=1)
        if value
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def matrix_rows(competencies: int = 2, levels: int = 3) -> list[bytes]:
    """A small valid matrix sheet: header and `competencies` rows."""
    header = ["Competency", *[f"IC{level}" for level in range(1, levels + 1)]]
    rows = [row_xml(1, header)]
    for index in range(competencies):
        rows.append(row_xml(index + 2, [f"Skill {index}", *[f"does {index}.{lv}" for lv in range(levels)]]))
    return rows


def wide_row(cells: int, *, row: int = 2) -> Iterable[bytes]:
    """One row of `cells` numeric cells with references: compresses about 10×, so it passes the
    compression-ratio check and has to be stopped while parsing."""
    yield f'<row r="{row}">'.encode()
    batch = []
    for column in range(1, cells + 1):
        batch.append(f'<c r="{column_letter(column)}{row}"><v>{column}</v></c>')
        if len(batch) == 10_000:
            yield "".join(batch).encode()
            batch = []
    yield "".join(batch).encode() + b"</row>"


def empty_cells_row(cells: int) -> Iterable[bytes]:
    """The probe's bomb: one row of `cells` empty cells (13 million fit in a few hundred KB)."""
    yield b'<row r="1">'
    chunk = b"<c/>" * 100_000
    for _ in range(cells // 100_000):
        yield chunk
    yield b"<c/>" * (cells % 100_000) + b"</row>"


def many_rows(rows: int, *, first: int = 1) -> Iterable[bytes]:
    for start in range(first, first + rows, 10_000):
        yield b"".join(
            f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>'.encode()
            for n in range(start, min(start + 10_000, first + rows))
        )


def shared_strings(count: int, text: str = "x") -> Iterable[bytes]:
    item = f"<si><t>{text}</t></si>".encode()
    for start in range(0, count, 100_000):
        yield item * min(100_000, count - start)


def csv_many_rows(rows: int) -> bytes:
    return b"Competency,IC1\n" + b"Delivery,a\n" * rows


def csv_trailing_commas(rows: int, commas: int) -> bytes:
    """The probe's slow file: every row padded with `commas` empty cells."""
    pad = b"," * commas
    return b"Competency,IC1" + pad + b"\n" + b"".join(b"Skill %d,does%s\n" % (n, pad) for n in range(rows))
