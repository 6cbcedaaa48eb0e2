"""The framework as a PDF: the HTML page laid out on A4 by WeasyPrint, with its print stylesheet.

Rendering never reaches outside the process: the page references nothing, and the URL fetcher
refuses every protocol should anything slip in. The PDF carries no creation date and a file
identifier derived from its content, so the same framework gives the same bytes.
"""

from __future__ import annotations

import hashlib

from trellis.framework.model import Framework
from trellis.framework.render.html_document import render_html


def render_pdf(framework: Framework) -> bytes:
    """The framework as PDF bytes (A4, page numbers in the footer, bookmarks from the headings)."""
    # WeasyPrint takes a second to import (fonts, Pango); only PDF rendering pays for it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    page = render_html(framework)
    refuse_everything = URLFetcher(allowed_protocols=frozenset())
    identifier = hashlib.sha256(page.encode("utf-8")).hexdigest()[:32].encode("ascii")
    document = HTML(string=page, url_fetcher=refuse_everything, media_type="print")
    pdf: bytes = document.write_pdf(pdf_identifier=identifier)
    return pdf
