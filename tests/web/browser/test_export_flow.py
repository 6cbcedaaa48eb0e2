"""A version's PDF in a real browser: an employee asks for it before the worker has made it, the
page says it is being prepared and updates itself (htmx) once the worker is done, and the download
is the stored PDF. The page passes axe's serious and critical checks in both states.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from trellis.web.frameworks.export_services import export_render
from trellis.web.frameworks.models import FrameworkExport

from . import pages
from .conftest import DemoCompany, Steps, sign_in

_AXE = Axe()


def _blocking_violations(page: Page) -> list[str]:
    violations = _AXE.run(page).response["violations"]
    return [
        f"{v['impact']} {v['id']}: {v['help']}" for v in violations if v["impact"] in {"serious", "critical"}
    ]


def test_an_employee_downloads_a_pdf_the_worker_prepared(
    page: Page, steps: Steps, demo_company: DemoCompany
) -> None:
    FrameworkExport.objects.filter(version__number=1).update(
        status=FrameworkExport.Status.QUEUED, content=b"", size=0, sha256=""
    )
    sign_in(page, demo_company.employee_email)
    pages.visit(page, "/framework/authoring/versions/1/")
    pages.main(page).get_by_role("link", name="PDF", exact=True).click()
    expect(pages.heading(page)).to_have_text("PDF of Version 1")
    status = pages.main(page).get_by_role("heading", level=2)
    expect(status).to_have_text("Waiting for a worker")
    assert _blocking_violations(page) == []
    steps.shot("being prepared")

    (pdf_export,) = FrameworkExport.objects.filter(version__number=1, format="pdf")
    assert export_render(export_id=pdf_export.pk).status == "ready"
    expect(status).to_have_text("Ready", timeout=10_000)  # the page polls every second
    steps.shot("ready")
    assert _blocking_violations(page) == []
    with page.expect_download() as download_info:
        pages.main(page).get_by_role(
            "link", name=re.compile(r"^Download northwind-labs-framework-v1\.pdf")
        ).click()
    download = download_info.value
    assert download.suggested_filename == "northwind-labs-framework-v1.pdf"
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read() == bytes(FrameworkExport.objects.get(pk=pdf_export.pk).content)
