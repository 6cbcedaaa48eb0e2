"""Renderers of a framework: Markdown, HTML, CSV, XLSX and PDF.

:func:`render` is what ``trellis render`` calls; the web app imports the per-format functions
directly (``render_xlsx`` for a framework version's spreadsheet export, ``render_pdf`` for its PDF).
Output is deterministic: the same framework gives the same bytes in every format.
"""

from __future__ import annotations

from collections.abc import Callable

from trellis.framework.model import Framework
from trellis.framework.render.csv_table import render_csv
from trellis.framework.render.html_document import render_html
from trellis.framework.render.markdown import render_markdown

FORMATS = ("md", "html", "xlsx", "csv", "pdf")

__all__ = ["FORMATS", "render", "render_csv", "render_html", "render_markdown", "render_pdf", "render_xlsx"]


def render_xlsx(framework: Framework) -> bytes:
    """See :func:`trellis.framework.render.xlsx_workbook.render_xlsx`."""
    # openpyxl is imported only when a workbook is asked for; the text formats stay light.
    from trellis.framework.render.xlsx_workbook import render_xlsx as render_workbook

    return render_workbook(framework)


def render_pdf(framework: Framework) -> bytes:
    """See :func:`trellis.framework.render.pdf_document.render_pdf`."""
    from trellis.framework.render.pdf_document import render_pdf as render_document

    return render_document(framework)


_RENDERERS: dict[str, Callable[[Framework], bytes]] = {
    "md": lambda framework: render_markdown(framework).encode("utf-8"),
    "html": lambda framework: render_html(framework).encode("utf-8"),
    "csv": lambda framework: render_csv(framework).encode("utf-8"),
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}


def render(framework: Framework, fmt: str) -> bytes:
    """`framework` rendered in format `fmt` (one of :data:`FORMATS`) as the bytes of a file.

    Text formats are encoded as UTF-8 without a byte-order mark. Raises ValueError for an unknown
    format.
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return renderer(framework)
