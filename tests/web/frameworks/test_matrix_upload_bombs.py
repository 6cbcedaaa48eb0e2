"""Hostile spreadsheets through the framework import page's matrix upload: each is refused with a
message naming the limit it crossed, and the draft, the versions and the audit log are unchanged.
The matrix is parsed in the bounded child process, whose memory and time limits refuse the same
way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from tests.tabular import bombs
from trellis.web.accounts.models import User

from .test_authoring_pages import A, snapshot, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published(published_framework: Any) -> None:
    """Version 1 is published; the draft is at revision 3."""


def post_matrix(client: Any, file_name: str, data: bytes) -> Any:
    return client.post(
        f"{A}/import/",
        {
            "operation": "matrix",
            "matrix-revision": "3",
            "matrix-family": "Finance",
            "matrix-mode": "merge",
            "matrix-file": SimpleUploadedFile(file_name, data),
        },
    )


BOMBS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "wide_row": (
        "wide.xlsx",
        lambda: bombs.xlsx([*bombs.matrix_rows(), *bombs.wide_row(20_000, row=4)], sheet="IC"),
        "More than 16,384 cells in row 4 (limit: cells per row)",
    ),
    "probe_wide_row": (
        "probe.xlsx",
        lambda: bombs.xlsx(bombs.empty_cells_row(13_000_000)),
        "expands more than 100 times (limit: compression ratio)",
    ),
    "shared_strings": (
        "strings.xlsx",
        lambda: bombs.xlsx(bombs.matrix_rows(), shared_strings=bombs.shared_strings(2_500_000)),
        "(limit: shared strings bytes)",
    ),
    "many_rows_csv": ("rows.csv", lambda: bombs.csv_many_rows(5_000), "(limit: rows)"),
    "trailing_commas": (
        "padded.csv",
        lambda: bombs.csv_trailing_commas(3, 70_000),
        "More than 16,384 cells in row 1 (limit: cells per row)",
    ),
}


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_each_bomb_is_refused_naming_its_limit_and_nothing_changes(
    login: Any, hr_admin: User, bomb: str
) -> None:
    file_name, build, refusal = BOMBS[bomb]
    before = snapshot()
    response = post_matrix(login(hr_admin), file_name, build())
    assert response.status_code == 400
    html = text(response)
    assert "<code>TRL301</code>" in html
    assert escape(refusal) in html
    assert f"{file_name} has errors: nothing was imported." in html
    assert snapshot() == before


def test_the_parse_time_limit_refuses_and_nothing_changes(login: Any, hr_admin: User, settings: Any) -> None:
    settings.UPLOAD_PARSE_LIMITS = {"seconds": 0}
    before = snapshot()
    response = post_matrix(login(hr_admin), "finance.csv", b"competency,L1,L2\nForecasting,a,b\n")
    assert response.status_code == 400
    assert (
        "finance.csv: reading the file took longer than 0 seconds (limit: time): nothing was imported."
        in text(response)
    )
    assert snapshot() == before
