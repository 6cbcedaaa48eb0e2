"""Renderers of a framework: Markdown, HTML, CSV, XLSX and PDF.

:func:`render` is what ``trellis render`` and the web app's export task call. Every format names
the framework's :class:`Edition` when one is given (the published version with its date, or the
draft with its revision). Output is deterministic: the same framework and edition give the same
bytes in every format.
"""

from __future__ import annotations

from collections.abc import Callable

from trellis.framework.model import Framework
from trellis.framework.render.csv_table import render_csv
from trellis.framework.render.edition import Edition
from trellis.framework.render.html_document import render_html
from trellis.framework.render.markdown import render_markdown

FORMATS = ("md", "html", "xlsx", "csv", "pdf")

__all__ = [
    "FORMATS",
    "Edition",
    "render",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_pdf",
    "render_xlsx",
]


def render_xlsx(framework: Framework, edition: Edition | None = None) -> bytes:
    """See :func:`trellis.framework.render.xlsx_workbook.render_xlsx`."""
    # openpyxl is imported only when a workbook is asked for; the text formats stay light.
    from trellis.framework.render.xlsx_workbook import render_xlsx as render_workbook

    return render_workbook(framework, edition)


def render_pdf(framework: Framework, edition: Edition | None = None) -> bytes:
    """See :func:`trellis.framework.render.pdf_document.render_pdf`."""
    from trellis.framework.render.pdf_document import render_pdf as render_document

    return render_document(framework, edition)


_RENDERERS: dict[str, Callable[[Framework, Edition | None], bytes]] = {
    "md": lambda framework, edition: render_markdown(framework, edition).encode("utf-8"),
    "html": lambda framework, edition: render_html(framework, edition).encode("utf-8"),
    "csv": lambda framework, edition: render_csv(framework, edition).encode("utf-8"),
    "xlsx": render_xlsx,
    "pdf": render_pdf,
}


def render(framework: Framework, fmt: str, edition: Edition | None = None) -> bytes:
    """`framework` rendered in format `fmt` (one of :data:`FORMATS`) as the bytes of a file,
    naming `edition` when given.

    Text formats are encoded as UTF-8 without a byte-order mark. Raises ValueError for an unknown
    format; ``pdf_document.PdfRenderError`` when the PDF cannot be typeset.
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return renderer(framework, edition)
