"""The framework as a PDF: the Typst document of :mod:`typst_document`, compiled in a child process.

Why a child process: the Typst compiler keeps its caches for the life of the process (a large
framework adds about 200 MB on every compile), so a long-running worker would grow without bound.
A fresh interpreter that imports only the compiler starts in a few tens of milliseconds, returns
every byte to the system when it exits, and can be held to a time and an address-space limit.

Rendering never reaches outside: the source arrives on standard input, the compiler's root is an
empty folder, no package is fetched, and the document's date is the edition's, so the same edition
of a framework gives the same bytes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from trellis.framework.model import Framework
from trellis.framework.render.edition import Edition
from trellis.framework.render.typst_document import render_typst_source

#: A compile that takes longer than this is stopped (a large framework takes about a second).
TIME_LIMIT_SECONDS = 60
#: The compiler's address-space ceiling; a large framework peaks near 300 MB resident.
MEMORY_LIMIT_BYTES = 2 * 2**30


_COMPILER = Path(__file__).with_name("typst_compile.py")


class PdfRenderError(RuntimeError):
    """The compiler refused the document or ran out of time or memory (the message says which)."""


def render_pdf(framework: Framework, edition: Edition | None = None) -> bytes:
    """The framework as PDF bytes: A4 portrait text, landscape competency matrices, the edition
    and page numbers in every footer, bookmarks from the headings."""
    source = render_typst_source(framework, edition).encode("utf-8")
    try:
        finished = subprocess.run(
            # Run as a script, not with -m: importing the package would load the framework model
            # (pydantic), a sixth of a second the child does not need.
            [sys.executable, str(_COMPILER), str(MEMORY_LIMIT_BYTES)],
            input=source,
            capture_output=True,
            timeout=TIME_LIMIT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        raise PdfRenderError(f"the PDF took longer than {TIME_LIMIT_SECONDS} s to typeset") from expired
    if finished.returncode != 0 or not finished.stdout.startswith(b"%PDF-"):
        message = finished.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfRenderError(
            f"the PDF could not be typeset: {message[-1] if message else finished.returncode}"
        )
    return finished.stdout
