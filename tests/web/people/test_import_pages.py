"""The import pages: the upload → columns → preview → import flow as HR walks it, errors beside the
field, htmx polling of a running import, refusals (403 and nothing changed), and pinned queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.selectors import framework_published_get
from trellis.web.people.import_services import import_job_create, import_job_preview, import_job_start
from trellis.web.people.models import ImportJob, Person
from trellis.web.people.tasks import people_import_check

from .test_import_services import BAD_ROWS, GOOD_ROWS, all_tables, csv_file

pytestmark = pytest.mark.django_db

NOT_HR = ["employee", "manager", "skip_level_manager", "other_manager", "outsider", "coauthor", "it_admin"]


@pytest.fixture(autouse=True)
def _framework_parsed(published_framework: FrameworkVersion, hr_admin: User) -> None:
    # Pinned query counts are those of a warm process, where the framework is already parsed.
    framework_published_get(viewer=hr_admin)


def upload(client: Client, data: bytes, name: str = "people.csv") -> Any:
    return client.post("/people/import/", {"file": SimpleUploadedFile(name, data)})


def mapping_form(job: ImportJob, **changes: int | None) -> dict[str, str]:
    mapping = {**job.mapping, **changes}
    return {key: "" if column is None else str(column) for key, column in mapping.items()}


def html_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_hr_walks_the_import_from_upload_to_result(login: Any, personas: dict[str, User]) -> None:
    client = login(personas["hr_admin"])
    start = html_of(client.get("/people/import/"))
    assert '<label for="id_file">HRIS export:</label>' in start
    assert 'href="/people/import/template.csv"' in start
    assert '<li aria-current="step"><span class="steps__number">1</span> Upload</li>' in start

    response = upload(client, csv_file(*BAD_ROWS, *GOOD_ROWS))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/people/import/{job.pk}/columns/"

    columns = html_of(client.get(response["Location"]))
    assert '<option value="9" selected>J: Manager</option>' in columns
    assert '<option value="" selected>— not in the file —</option>' not in columns  # every field guessed
    assert '<th scope="row">J</th>' in columns
    assert "<td>Manager</td>" in columns
    assert (
        '<span class="sample">E999</span>, <span class="sample">N012</span>, <span class="sample">N011</span>'
        in columns
    )

    response = client.post(f"/people/import/{job.pk}/columns/", mapping_form(job))
    assert response["Location"] == f"/people/import/{job.pk}/preview/"
    preview = html_of(client.get(response["Location"]))
    assert '<div class="stat"><dt>New people</dt><dd>1</dd></div>' in preview
    assert '<div class="stat stat--rejected"><dt>Rejected</dt><dd>7</dd></div>' in preview
    assert "7 rows are rejected; the reasons are below." in preview
    assert "Import only the 2 valid rows" in preview
    assert "Import 2 rows" not in preview
    assert (
        "<li><strong>column J (&quot;Manager&quot;)</strong>: the manager &quot;E999&quot; is neither in the "
        "file nor among the people in Trellis</li>"
    ) in preview
    assert (
        '<li><strong>Level</strong>: IC2 <span aria-hidden="true">→</span><span class="visually-hidden">'
        "becomes</span> IC3</li>"
    ) in preview

    before = all_tables()
    refused = client.post(f"/people/import/{job.pk}/apply/", follow=True)
    assert refused.redirect_chain == [(f"/people/import/{job.pk}/preview/", 302)]
    assert "7 rows of the file are rejected, so nothing is imported" in refused.content.decode()
    assert all_tables() == before

    response = client.post(f"/people/import/{job.pk}/apply/", {"only_valid_rows": "yes"})
    assert response["Location"] == f"/people/import/{job.pk}/"
    result = html_of(client.get(response["Location"]))
    assert "<h2>Imported</h2>" in result
    assert '<div class="stat"><dt>Rejected, not imported</dt><dd>7</dd></div>' in result
    assert "hx-trigger" not in result
    assert Person.objects.get(employee_id="N020").full_name == "Nia New"
    # A finished job's steps lead back to its result, not to its columns or preview.
    assert client.get(f"/people/import/{job.pk}/columns/")["Location"] == f"/people/import/{job.pk}/"
    assert client.get(f"/people/import/{job.pk}/preview/")["Location"] == f"/people/import/{job.pk}/"


def test_an_unreadable_file_is_reported_beside_the_field_and_not_stored(
    login: Any, personas: dict[str, User]
) -> None:
    client = login(personas["hr_admin"])
    before = all_tables()
    html = html_of(upload(client, csv_file(*GOOD_ROWS).replace(b"Nia New", b"N\xeda New")))
    field = html.split('<div class="field field--invalid">')[1].split("<button")[0]
    assert "the file is not UTF-8 text, and Trellis does not guess an encoding" in field
    assert (
        "row 2, column C (&quot;Full name&quot;): byte 0xED in &quot;N\ufffda New&quot; is not UTF-8" in field
    )
    assert 'aria-invalid="true"' in field
    assert ImportJob.objects.count() == 0
    assert all_tables() == before


def test_an_image_is_not_a_csv_or_xlsx_file(login: Any, personas: dict[str, User]) -> None:
    client = login(personas["hr_admin"])
    before = all_tables()
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(200)
    response = client.post("/people/import/", {"file": SimpleUploadedFile("people.png", png, "image/png")})
    field = html_of(response).split('<div class="field field--invalid">')[1].split("<button")[0]
    assert (
        "not a CSV or XLSX file (it looks like a PNG image): export the spreadsheet as an Excel "
        "workbook (.xlsx) or as CSV UTF-8"
    ) in field
    assert ImportJob.objects.count() == 0
    assert all_tables() == before


def test_a_column_chosen_twice_is_an_error_beside_the_field(login: Any, personas: dict[str, User]) -> None:
    client = login(personas["hr_admin"])
    upload(client, csv_file(*GOOD_ROWS))
    job = ImportJob.objects.get()
    html = html_of(client.post(f"/people/import/{job.pk}/columns/", mapping_form(job, title=2)))
    title_field = html.split('<label for="id_title">')[1].split('<div class="field')[0]
    assert "column C is already used for Full name" in title_field
    job.refresh_from_db()
    assert (job.status, job.preview) == (ImportJob.Status.MAPPING, [])


def test_rows_are_matched_by_a_column_the_importer_chose(login: Any, personas: dict[str, User]) -> None:
    client = login(personas["hr_admin"])
    upload(client, csv_file(*GOOD_ROWS))
    job = ImportJob.objects.get()
    html = html_of(
        client.post(f"/people/import/{job.pk}/columns/", mapping_form(job, employee_id=None, email=None))
    )
    assert "choose the column of the employee ID or of the e-mail address: rows are matched by them" in html


def test_the_preview_filters_rows_by_outcome(login: Any, personas: dict[str, User]) -> None:
    hr = personas["hr_admin"]
    job = import_job_create(actor=hr, file_name="p.csv", data=csv_file(*BAD_ROWS, *GOOD_ROWS))
    import_job_preview(actor=hr, job=job, mapping=job.mapping)
    html = html_of(login(hr).get(f"/people/import/{job.pk}/preview/?show=create"))
    rows = html.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.count("<tr>") == 1
    assert '<span class="badge badge--create">New</span>' in rows
    assert (
        '<a href="/people/import/1/preview/?show=create" aria-current="page">New'.replace(
            "/1/", f"/{job.pk}/"
        )
        in html
    )


def test_a_large_file_is_checked_in_the_background_and_its_preview_opened_when_ready(
    login: Any, personas: dict[str, User], settings: Any
) -> None:
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
    client = login(personas["hr_admin"])
    upload(client, csv_file(*GOOD_ROWS))
    job = ImportJob.objects.get()
    response = client.post(f"/people/import/{job.pk}/columns/", mapping_form(job))
    assert response["Location"] == f"/people/import/{job.pk}/"
    page = html_of(client.get(response["Location"]))
    assert "<h2>Checking the rows</h2>" in page
    assert '<li aria-current="step"><span class="steps__number">3</span> Preview</li>' in page
    assert 'max="2" value="0"' in page
    assert "0 of 2 rows checked (0%)." in page
    assert 'hx-trigger="every 1s"' in page

    people_import_check.call(job_id=job.pk)
    polled = client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"})
    assert (polled.status_code, polled["HX-Redirect"]) == (200, f"/people/import/{job.pk}/preview/")
    assert client.get(f"/people/import/{job.pk}/")["Location"] == f"/people/import/{job.pk}/preview/"


def test_a_running_import_is_polled_with_htmx_and_refreshed_by_a_link(
    login: Any, personas: dict[str, User], settings: Any
) -> None:
    hr = personas["hr_admin"]
    job = import_job_create(actor=hr, file_name="p.csv", data=csv_file(*GOOD_ROWS))
    job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
    settings.PEOPLE_IMPORT_BACKGROUND_ROWS = 1
    job = import_job_start(actor=hr, job=job)
    client = login(hr)
    page = html_of(client.get(f"/people/import/{job.pk}/"))
    assert (
        f'<div id="import-status" class="card import-status" hx-get="/people/import/{job.pk}/" '
        'hx-trigger="every 1s" hx-swap="outerHTML">'
    ) in page
    assert f'<a href="/people/import/{job.pk}/">Refresh the progress</a>' in page
    assert "<h2>Waiting for a worker</h2>" in page

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLYING, processed_rows=1)
    partial = html_of(client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"}))
    assert partial.strip().startswith('<div id="import-status"')
    assert "<html" not in partial
    assert 'max="2" value="1"' in partial
    assert "1 of 2 rows written (50%)." in partial

    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.APPLIED, processed_rows=2)
    done = html_of(client.get(f"/people/import/{job.pk}/", headers={"HX-Request": "true"}))
    assert "hx-trigger" not in done
    assert "<h2>Imported</h2>" in done


def test_the_template_is_the_header_row_and_an_example_that_is_never_imported(
    login: Any, personas: dict[str, User]
) -> None:
    client = login(personas["hr_admin"])
    response = client.get("/people/import/template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="trellis-people.csv"'
    assert response.content == (
        b"Employee ID,E-mail,Full name,Job title,Team,Job family,Track,Level,At this level since,Manager,"
        b"Hired on,Active\r\n"
        b"EXAMPLE-DELETE-THIS-ROW,ana.example@example.com,Ana Example (example: delete this row),"
        b"Software engineer,Platform,engineering,ic,IC1,2024-03-01,,2022-09-01,yes\r\n"
    )
    before = Person.objects.count()
    upload(client, response.content + b"N1,nia@example.com,Nia New,,,engineering,ic,IC2,2025-01-06,,,\r\n")
    job = ImportJob.objects.get()
    client.post(f"/people/import/{job.pk}/columns/", mapping_form(job))
    preview = html_of(client.get(f"/people/import/{job.pk}/preview/"))
    assert (
        "<strong>column A (&quot;Employee ID&quot;)</strong>: this is the template&#x27;s example row; delete "
        "it from the file before importing"
    ) in preview
    job.refresh_from_db()
    assert job.summary["reject"] == 1 and job.summary["create"] == 1
    assert Person.objects.count() == before


def _dated_file(level_since: str) -> bytes:
    return (
        "Employee ID,E-mail,Full name,Job family,Track,Level,At this level since\r\n"
        f"N1,nia@example.com,Nia New,engineering,ic,IC2,{level_since}\r\n"
    ).encode()


def test_an_ambiguous_date_column_asks_for_the_format_and_a_chosen_one_is_kept(
    login: Any, personas: dict[str, User]
) -> None:
    client = login(personas["hr_admin"])
    upload(client, _dated_file("03/04/2025"))
    job = ImportJob.objects.get()
    page = html_of(client.get(f"/people/import/{job.pk}/columns/"))
    assert '<option value="detect" selected>Detect from each column' in page
    refused = html_of(client.post(f"/people/import/{job.pk}/columns/", mapping_form(job)))
    field = refused.split('<label for="id_date_format">')[1].split('<div class="field')[0]
    assert (
        "column G (&quot;At this level since&quot;): its dates, such as &quot;03/04/2025&quot;, read either "
        "day first or month first. Choose day first or month first for this file"
    ) in field
    job.refresh_from_db()
    assert (job.status, job.preview) == (ImportJob.Status.MAPPING, [])
    response = client.post(
        f"/people/import/{job.pk}/columns/", {**mapping_form(job), "date_format": "day_first"}
    )
    assert response["Location"] == f"/people/import/{job.pk}/preview/"
    job.refresh_from_db()
    assert job.date_format == "day_first"
    assert ["level_since", "", "2025-04-03"] in job.preview[0]["changes"]
    client.post(f"/people/import/{job.pk}/apply/")
    assert Person.objects.get(employee_id="N1").level_since.isoformat() == "2025-04-03"


def test_the_preview_warns_of_a_level_left_before_its_minimum_time(
    login: Any, personas: dict[str, User]
) -> None:
    client = login(personas["hr_admin"])
    # Emi has been IC2 since 2024-03-01; the framework asks a year at IC2.
    upload(client, b"Employee ID,Level,At this level since\r\nE003,IC3,2024-09-01\r\n")
    job = ImportJob.objects.get()
    client.post(f"/people/import/{job.pk}/columns/", mapping_form(job))
    preview = html_of(client.get(f"/people/import/{job.pk}/preview/"))
    assert (
        '<span class="badge badge--warning">Warning</span> <strong>column C (&quot;At this level '
        "since&quot;)</strong>: IC2 to IC3 on 2024-09-01 is after 6 months at IC2 (since 2024-03-01); the "
        "framework&#x27;s minimum time at IC2 is 1 year, reached on 2025-03-01"
    ) in preview
    assert '<span class="badge badge--update">Update</span>' in preview


def test_discarding_an_import(login: Any, personas: dict[str, User]) -> None:
    client = login(personas["hr_admin"])
    upload(client, csv_file(*GOOD_ROWS))
    job = ImportJob.objects.get()
    response = client.post(f"/people/import/{job.pk}/discard/", follow=True)
    assert response.redirect_chain == [("/people/import/", 302)]
    assert "The import was discarded; nothing was imported." in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.table) == (ImportJob.Status.DISCARDED, {})


def _import_requests(job_id: int) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("get", "/people/import/", {}),
        ("post", "/people/import/", {"file": SimpleUploadedFile("p.csv", csv_file(*GOOD_ROWS))}),
        ("get", "/people/import/template.csv", {}),
        ("get", f"/people/import/{job_id}/", {}),
        ("get", f"/people/import/{job_id}/columns/", {}),
        ("post", f"/people/import/{job_id}/columns/", {"employee_id": "0"}),
        ("get", f"/people/import/{job_id}/preview/", {}),
        ("post", f"/people/import/{job_id}/apply/", {}),
        ("post", f"/people/import/{job_id}/apply/", {"only_valid_rows": "yes"}),
        ("post", f"/people/import/{job_id}/discard/", {}),
    ]


@pytest.mark.parametrize("persona", NOT_HR)
def test_only_hr_may_import_everyone_else_gets_403_and_nothing_changes(
    login: Any, personas: dict[str, User], persona: str
) -> None:
    hr = personas["hr_admin"]
    job = import_job_create(actor=hr, file_name="p.csv", data=csv_file(*GOOD_ROWS))
    import_job_preview(actor=hr, job=job, mapping=job.mapping)
    before = all_tables()
    jobs_before = list(ImportJob.objects.values_list())
    client = login(personas[persona])
    for method, path, data in _import_requests(job.pk):
        response = getattr(client, method)(path, data)
        assert response.status_code == 403, (persona, method, path)
    assert all_tables() == before
    assert list(ImportJob.objects.values_list()) == jobs_before


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, personas: dict[str, User]) -> None:
    for method, path, data in _import_requests(1):
        response = getattr(client, method)(path, data)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert ImportJob.objects.count() == 0


def test_an_import_that_does_not_exist_is_not_found(login: Any, personas: dict[str, User]) -> None:
    client = login(personas["hr_admin"])
    for method, path, data in _import_requests(999_999)[3:]:
        assert getattr(client, method)(path, data).status_code == 404, path


class TestQueries:
    """Import pages cost the same however many imports, rows and people there are."""

    def test_the_start_page(
        self, login: Any, personas: dict[str, User], django_assert_num_queries: Any
    ) -> None:
        hr = personas["hr_admin"]
        client = login(hr)
        for count in (2, 12):
            while ImportJob.objects.count() < count:
                import_job_create(actor=hr, file_name="p.csv", data=csv_file(*GOOD_ROWS))
            # session, account, latest imports with their uploaders, current version
            with django_assert_num_queries(4):
                html_of(client.get("/people/import/"))

    def test_the_preview_and_result(
        self, login: Any, personas: dict[str, User], django_assert_num_queries: Any
    ) -> None:
        hr = personas["hr_admin"]
        client = login(hr)
        for size in (3, 40):
            rows = [
                f"N{n:03},p{n}@example.com,Pat {n},,,engineering,,IC2,2025-01-06,E002,2024-05-01,yes"
                for n in range(size)
            ]
            job = import_job_create(actor=hr, file_name="p.csv", data=csv_file(*rows))
            job = import_job_preview(actor=hr, job=job, mapping=job.mapping)
            with django_assert_num_queries(3):  # session, account, the job with its preview
                html_of(client.get(f"/people/import/{job.pk}/preview/"))
            with django_assert_num_queries(3):  # session, account, the job with its file
                html_of(client.get(f"/people/import/{job.pk}/columns/"))
            job = import_job_start(actor=hr, job=job)
            with django_assert_num_queries(3):  # session, account, the job
                html_of(client.get(f"/people/import/{job.pk}/"))
