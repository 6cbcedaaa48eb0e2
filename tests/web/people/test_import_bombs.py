"""Hostile uploads through the people import's real upload page: each bomb is refused beside the
file field with a message naming the limit it crossed, and nothing is stored (no job, no person,
team, history or audit row). The parse runs in the bounded child process, so its memory and time
limits are refused the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils.html import escape

from tests.tabular import bombs
from trellis.organisation.import_reading import LIMITS
from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.people.models import ImportJob

from .test_import_pages import upload
from .test_import_services import GOOD_ROWS, all_tables, csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """People are placed on a published framework's levels: without one, nothing is read."""


@pytest.fixture(autouse=True)
def _read_within_the_request(settings: Any) -> None:
    """Every upload here is read within the request, however large (the worker reads the same
    bombs in `test_import_reading`)."""
    settings.PEOPLE_IMPORT_BACKGROUND_BYTES = LIMITS.file_bytes


def _people_header() -> bytes:
    return bombs.row_xml(1, ["Employee ID", "E-mail", "Full name"])


#: (file name, the upload, the exact refusal). Each builder is the one `tests.tabular.bombs` and
#: `bench/uploads.py` use.
BOMBS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "wide_row": (
        "wide.xlsx",
        lambda: bombs.xlsx([_people_header(), *bombs.wide_row(20_000, row=2)], sheet="Staff"),
        "wide.xlsx, sheet Staff, row 2, column A: more than 16,384 cells in row 2 (limit: cells per row)",
    ),
    "probe_wide_row": (
        "probe.xlsx",
        lambda: bombs.xlsx(bombs.empty_cells_row(13_000_000)),
        "part xl/worksheets/sheet1.xml expands more than 100 times (limit: compression ratio)",
    ),
    "shared_strings": (
        "strings.xlsx",
        lambda: bombs.xlsx([_people_header()], shared_strings=bombs.shared_strings(2_500_000)),
        "the workbook's shared strings are larger than 32 MB (limit: shared strings bytes)",
    ),
    "many_rows_xlsx": (
        "rows.xlsx",
        lambda: bombs.xlsx(bombs.many_rows(100_001)),
        "rows.xlsx, sheet Sheet1, row 100001, column A: sheet Sheet1 has more than 100,000 rows (limit: rows)",
    ),
    "many_rows_csv": (
        "rows.csv",
        lambda: bombs.csv_many_rows(100_000),
        "rows.csv, row 100001, column A: the file has more than 100,000 rows (limit: rows)",
    ),
    "trailing_commas": (
        "padded.csv",
        lambda: bombs.csv_trailing_commas(3, 70_000),
        "padded.csv, row 1, column A: more than 16,384 cells in row 1 (limit: cells per row)",
    ),
}


def refused_field(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    html: str = response.content.decode()
    return html.split('<div class="field field--invalid">')[1].split("<button")[0]


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_each_bomb_is_refused_naming_its_limit_and_nothing_is_stored(
    login: Any, personas: dict[str, User], bomb: str
) -> None:
    file_name, build, refusal = BOMBS[bomb]
    client = login(personas["hr_admin"])
    before = all_tables()
    field = refused_field(upload(client, build(), file_name))
    assert escape(refusal) in field
    assert "(limit: " in field
    assert ImportJob.objects.count() == 0
    assert all_tables() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    login: Any, personas: dict[str, User]
) -> None:
    client = login(personas["hr_admin"])
    before = all_tables()
    field = refused_field(upload(client, csv_file(*GOOD_ROWS) + b"," * LIMITS.file_bytes))
    assert "the file is larger than 20 MB (limit: file bytes)" in field
    assert ImportJob.objects.count() == 0
    assert all_tables() == before


@pytest.mark.parametrize(
    ("limits", "refusal"),
    [
        (
            {"memory_bytes": 1024 * 1024},
            "people.csv: reading the file needed more than 1 MB of memory (limit: memory)",
        ),
        ({"seconds": 0}, "people.csv: reading the file took longer than 0 seconds (limit: time)"),
    ],
)
def test_the_parse_memory_and_time_limits_refuse_the_same_way(
    login: Any, personas: dict[str, User], settings: Any, limits: dict[str, float], refusal: str
) -> None:
    settings.UPLOAD_PARSE_LIMITS = limits
    client = login(personas["hr_admin"])
    before = all_tables()
    # Enough rows that reading them needs memory the child does not already have.
    rows = [f"N{n:05},p{n}@example.com,Pat {n},,,engineering,,IC2,,,," for n in range(20_000)]
    field = refused_field(upload(client, csv_file(*rows)))
    assert escape(refusal) in field
    assert ImportJob.objects.count() == 0
    assert all_tables() == before


def test_a_good_file_is_read_in_the_bounded_child_and_stored(login: Any, personas: dict[str, User]) -> None:
    response = upload(login(personas["hr_admin"]), csv_file(*GOOD_ROWS))
    job = ImportJob.objects.get()
    assert response["Location"] == f"/people/import/{job.pk}/columns/"
    assert (job.row_count, job.table["file"], job.table["sheet"]) == (2, "people.csv", None)
