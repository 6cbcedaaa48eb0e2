"""The authoring pages at work: the overview and its findings, editing in the browser with the live
lint, the optimistic lock, the YAML editor, imports and the review workflow."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trellis.framework.editing import ExpectationAddress, SetFields
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps, loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion
from trellis.web.frameworks.services import framework_draft_edit

pytestmark = pytest.mark.django_db

A = "/framework/authoring"
ENGINEERING = f"{A}/edit/families/engineering"
BEHAVIOURS = f"{ENGINEERING}/tracks/ic/behaviours/communication/"
TRAIT = "Demonstrates leadership in meetings."
GOOD = "Writes the design review summary for the team within a day of the meeting."


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """Version 1 is published; the draft is at revision 3."""


def draft() -> FrameworkDraft:
    return FrameworkDraft.objects.get()


def snapshot() -> tuple[object, ...]:
    return (
        list(FrameworkDraft.objects.values_list("yaml_text", "status", "revision", "review_comment")),
        list(FrameworkVersion.objects.values_list("number", "is_current")),
        AuditEvent.objects.count(),
    )


def ic3_communication() -> Any:
    return loads(draft().yaml_text).family("engineering").track("ic").expectations["communication"]["IC3"]  # type: ignore[union-attr]


def behaviours_data(**changes: str) -> dict[str, str]:
    """The behaviours form of engineering IC communication as the page shows it, with `changes`."""
    line = loads(draft().yaml_text).family("engineering").track("ic").expectations["communication"]  # type: ignore[union-attr]
    data = {"operation": "save", "revision": str(draft().revision)}
    for code, expectation in line.items():
        data[f"{code}-proficiency"] = str(expectation.proficiency)
        data[f"{code}-behaviour"] = expectation.behaviour
    data.update(changes)
    return data


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the overview ----------------------------------------------------------------------------------


def test_the_overview_shows_the_draft_its_findings_and_links_to_them(
    login: Any, coauthor: User, hr_admin: User
) -> None:
    framework_draft_edit(
        actor=coauthor,
        edits=[
            SetFields(ExpectationAddress("engineering", "ic", "communication", "IC3"), {"behaviour": TRAIT})
        ],
        expected_revision=3,
    )
    framework_draft_edit(
        actor=hr_admin,
        edits=[SetFields(ExpectationAddress("product", "ic", "communication", "IC3"), {"behaviour": TRAIT})],
        expected_revision=4,
    )
    html = text(login(coauthor).get(f"{A}/"))
    assert '<span class="status status--draft">Draft</span>' in html
    assert "<dt>Revision</dt><dd>5</dd>" in html
    assert "Hana HR, <time" in html
    assert "0 errors, 2 warnings." in html
    # Placed in the framework's words (family · level · competency), not by line and column.
    engineering_link = f'<a href="{BEHAVIOURS}#id_IC3-behaviour">Engineering · IC3 · Communication</a>'
    assert engineering_link in html
    # The co-author may not edit product: its finding is listed without a link.
    assert html.count("<code>TRL201</code>") == 2
    assert "<td>Product · IC3 · Communication</td>" in html
    assert "line " not in html.split('id="findings-heading"')[1]
    assert "Submit for review" in html
    assert f'href="{A}/publish/"' not in html
    assert f'href="{A}/import/"' not in html
    hr_html = text(login(hr_admin).get(f"{A}/"))
    assert engineering_link in hr_html
    product = f'<a href="{A}/edit/families/product/tracks/ic/behaviours/communication/#id_IC3-behaviour">'
    assert f"{product}Product · IC3 · Communication</a>" in hr_html
    assert f'<a class="button button--primary" href="{A}/publish/">Review and publish</a>' in hr_html


def test_an_editor_page_places_the_findings_no_field_shows_in_the_frameworks_words(
    login: Any, coauthor: User
) -> None:
    framework_draft_edit(
        actor=coauthor,
        edits=[
            SetFields(ExpectationAddress("engineering", "ic", "communication", "IC3"), {"behaviour": TRAIT})
        ],
        expected_revision=3,
    )
    html = text(login(coauthor).get(f"{ENGINEERING}/"))
    summary = html.split('<div class="findings-summary">')[1].split("</div>")[0]
    assert (
        '<span class="finding__where">Engineering · IC3 · Communication:</span> '
        "&quot;Demonstrates leadership&quot; describes a trait, not an observable behaviour"
    ) in summary
    assert "line " not in summary
    # Beside its own field the finding needs no place.
    behaviours = text(login(coauthor).get(BEHAVIOURS))
    assert "&quot;Demonstrates leadership&quot; describes a trait" in behaviours
    assert '<span class="finding__where">' not in behaviours


def test_an_empty_draft_says_where_to_start(login: Any, hr_admin: User) -> None:
    FrameworkDraft.objects.all().delete()
    html = text(login(hr_admin).get(f"{A}/"))
    assert "<dt>Revision</dt><dd>1</dd>" in html
    assert "<dt>Last saved</dt><dd>Never</dd>" in html
    assert f'The draft is empty. <a href="{A}/import/">' in html
    page = login(hr_admin).get(f"{ENGINEERING}/")
    assert page.status_code == 409
    assert "there is nothing to edit yet" in text(page)


# --- editing with the live lint --------------------------------------------------------------------


def test_the_live_lint_shows_the_trait_wording_warning_for_that_behaviour(login: Any, coauthor: User) -> None:
    client = login(coauthor)
    before = snapshot()
    response = client.post(
        f"{BEHAVIOURS}lint/?field=IC3-behaviour",
        behaviours_data(**{"IC3-behaviour": TRAIT}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = text(response)
    assert '<li class="finding finding--warning">' in html
    assert "<code>TRL201</code>" in html
    assert "&quot;Demonstrates leadership&quot; describes a trait, not an observable behaviour" in html
    assert "<html" not in html  # a partial, not a page
    assert snapshot() == before
    clean = client.post(f"{BEHAVIOURS}lint/?field=IC3-behaviour", behaviours_data(**{"IC3-behaviour": GOOD}))
    assert "No findings." in text(clean)
    # Another level's text does not leak into this field's findings.
    other = client.post(f"{BEHAVIOURS}lint/?field=IC2-behaviour", behaviours_data(**{"IC3-behaviour": TRAIT}))
    assert "TRL201" not in text(other)


def test_the_live_lint_of_a_field_that_is_not_valid_says_why(login: Any, coauthor: User) -> None:
    response = login(coauthor).post(
        f"{ENGINEERING}/tracks/ic/levels/IC3/lint/?field=name", {"name": "", "title": "x", "revision": "3"}
    )
    assert response.status_code == 200
    assert "This field is required." in text(response)
    unknown = login(coauthor).post(f"{ENGINEERING}/tracks/ic/levels/IC3/lint/?field=nope", {"revision": "3"})
    assert unknown.status_code == 400


def test_the_behaviours_page_has_live_lint_wired_on_every_behaviour(login: Any, coauthor: User) -> None:
    html = login(coauthor).get(BEHAVIOURS).content.decode()
    assert (
        f'hx-post="{BEHAVIOURS}lint/?field=IC3-behaviour" hx-trigger="keyup changed delay:400ms" '
        'hx-target="#findings-id_IC3-behaviour" hx-swap="innerHTML" '
        'aria-describedby="id_IC3-behaviour_helptext findings-id_IC3-behaviour"'
    ) in html
    assert '<div class="field-findings" id="findings-id_IC3-behaviour" aria-live="polite">' in html
    assert html.count("hx-trigger=") == 6  # one per level of the IC track


def test_saving_a_behaviour_without_javascript_shows_its_findings_after_saving(
    login: Any, coauthor: User
) -> None:
    client = login(coauthor)
    response = client.post(BEHAVIOURS, behaviours_data(**{"IC3-behaviour": TRAIT}))
    assert (response.status_code, response["Location"]) == (302, BEHAVIOURS)
    assert ic3_communication().behaviour == TRAIT
    assert draft().revision == 4
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.fields) == (  # type: ignore[union-attr]
        "framework.draft_edited",
        ["engineering/ic/IC3/communication.behaviour"],
    )
    page = text(client.get(BEHAVIOURS))
    assert "Saved the behaviours." in page
    findings = page.split('id="findings-id_IC3-behaviour"')[1].split("</div>")[0]
    assert "<code>TRL201</code>" in findings


def test_someone_else_saving_first_is_a_clear_conflict(login: Any, coauthor: User, hr_admin: User) -> None:
    stale = behaviours_data(**{"IC3-behaviour": GOOD})
    framework_draft_edit(
        actor=hr_admin,
        edits=[
            SetFields(
                ExpectationAddress("engineering", "ic", "communication", "IC2"), {"behaviour": "Theirs."}
            )
        ],
        expected_revision=3,
    )
    before = snapshot()
    response = login(coauthor).post(BEHAVIOURS, stale)
    assert response.status_code == 409
    html = text(response)
    assert (
        "Someone else saved the draft first (you had revision 3; it is now at 4). Nothing of yours was saved"
        in html
    )
    assert GOOD in html  # the person's text is kept on the page
    assert snapshot() == before


def test_invalid_input_is_shown_beside_its_field_and_changes_nothing(login: Any, coauthor: User) -> None:
    before = snapshot()
    response = login(coauthor).post(
        f"{ENGINEERING}/tracks/ic/levels/IC3/",
        {"operation": "save", "revision": "3", "name": "", "title": "x"},
    )
    assert response.status_code == 400
    html = text(response)
    assert 'aria-invalid="true"' in html
    assert '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>' in html
    assert snapshot() == before


def test_a_coauthor_cannot_change_structure_through_a_disabled_field(login: Any, coauthor: User) -> None:
    before = snapshot()
    page = text(login(coauthor).get(f"{ENGINEERING}/tracks/ic/levels/IC3/"))
    assert re.search(r'<input type="number" name="grade"[^>]* disabled', page)
    level = loads(draft().yaml_text).family("engineering").track("ic").level("IC3")  # type: ignore[union-attr]
    response = login(coauthor).post(
        f"{ENGINEERING}/tracks/ic/levels/IC3/",
        {
            "operation": "save",
            "revision": "3",
            "name": level.name,
            "title": "Engineer III",
            "grade": "9",
            "summary": level.summary,
        },
    )
    # Posted anyway (a browser sends no disabled field): refused whole, the title not saved either.
    assert response.status_code == 403
    assert "Only HR changes this (it is part of the structure): nothing was saved." in text(response)
    stored = loads(draft().yaml_text).family("engineering").track("ic").level("IC3")  # type: ignore[union-attr]
    assert (stored.title, stored.grade) == (level.title, level.grade)
    assert snapshot() == before


def test_a_coauthor_cannot_use_a_structure_form(login: Any, coauthor: User) -> None:
    before = snapshot()
    response = login(coauthor).post(
        f"{ENGINEERING}/", {"operation": "remove", "remove-revision": "3", "remove-confirm": "on"}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_hr_reshapes_a_track(login: Any, hr_admin: User) -> None:
    client = login(hr_admin)
    track = f"{ENGINEERING}/tracks/ic/"

    def levels() -> list[str]:
        return [level.code for level in loads(draft().yaml_text).family("engineering").track("ic").levels]  # type: ignore[union-attr]

    added = client.post(
        track,
        {
            "operation": "add_level",
            "level-revision": "3",
            "level-code": "IC7",
            "level-name": "Distinguished",
            "level-title": "Distinguished Engineer",
        },
    )
    assert (added.status_code, levels()) == (302, ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6", "IC7"])
    moved = client.post(track, {"operation": "move_level", "revision": "4", "code": "IC7", "offset": "-1"})
    assert (moved.status_code, levels()) == (302, ["IC1", "IC2", "IC3", "IC4", "IC5", "IC7", "IC6"])
    removed = client.post(track, {"operation": "remove_level", "revision": "5", "code": "IC7"})
    assert (removed.status_code, levels()) == (302, ["IC1", "IC2", "IC3", "IC4", "IC5", "IC6"])
    duplicate = client.post(
        track,
        {
            "operation": "add_level",
            "level-revision": "6",
            "level-code": "M1",
            "level-name": "x",
            "level-title": "x",
        },
    )
    assert duplicate.status_code == 400
    assert "family &quot;engineering&quot; already has a level &quot;M1&quot;" in text(duplicate)
    renamed = client.post(
        track, {"operation": "rename", "rename-revision": "6", "rename-new_id": "engineers"}
    )
    assert (renamed.status_code, renamed["Location"]) == (302, f"{ENGINEERING}/tracks/engineers/")
    assert client.get(renamed["Location"]).status_code == 200


def test_removing_a_level_says_what_else_went(login: Any, hr_admin: User) -> None:
    client = login(hr_admin)
    response = client.post(
        f"{ENGINEERING}/tracks/ic/", {"operation": "remove_level", "revision": "3", "code": "IC4"}
    )
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Also removed 2 sets of promotion criteria into or out of IC4." in page
    assert "Also removed 1 crossover starting or ending at IC4." in page


def test_hr_adds_a_family_and_a_coauthor_edits_its_description_only_where_allowed(
    login: Any, hr_admin: User
) -> None:
    response = login(hr_admin).post(
        f"{A}/edit/",
        {"operation": "add_family", "family-revision": "3", "family-family": "data", "family-name": "Data"},
    )
    assert (response.status_code, response["Location"]) == (302, f"{A}/edit/families/data/")
    saved = login(hr_admin).post(
        f"{A}/edit/families/data/",
        {"operation": "save", "revision": "4", "name": "Data", "description": "Analysts."},
    )
    assert saved.status_code == 302
    assert loads(draft().yaml_text).family("data").description == "Analysts."  # type: ignore[union-attr]


# --- the YAML editor -------------------------------------------------------------------------------


def test_the_yaml_editor_refuses_errors_at_their_line_and_column(
    login: Any, hr_admin: User, starter_framework_yaml: str
) -> None:
    broken = starter_framework_yaml.replace("code: IC2", "code: IC1", 1)
    before = snapshot()
    response = login(hr_admin).post(f"{A}/yaml/", {"yaml_text": broken, "revision": "3"})
    assert response.status_code == 400
    html = text(response)
    assert "errors: nothing was saved." in html
    second = broken.index("code: IC1", broken.index("code: IC1") + 1)
    line = broken.count("\n", 0, second) + 1
    column = second - broken.rindex("\n", 0, second) + len("code: ")
    assert (
        f'<span class="finding__where">line {line}, column {column}:</span> '
        "Level code in family engineering &quot;IC1&quot; is defined twice"
    ) in html
    assert snapshot() == before


def test_the_yaml_editor_saves_canonical_yaml(
    login: Any, hr_admin: User, starter_framework_yaml: str
) -> None:
    edited = "# a comment\n" + starter_framework_yaml.replace(
        "Engineering, Product and Marketing career framework", "Northwind", 1
    )
    response = login(hr_admin).post(f"{A}/yaml/", {"yaml_text": edited, "revision": "3"})
    assert (response.status_code, draft().revision) == (302, 4)
    assert draft().yaml_text == dumps(loads(edited))


def test_the_yaml_editor_lints_as_one_types(login: Any, hr_admin: User) -> None:
    response = login(hr_admin).post(f"{A}/yaml/lint/", {"yaml_text": "name: Acme\nfamilies: [unclosed\n"})
    assert response.status_code == 200
    assert '<span class="finding__where">line 3, column 1:</span> YAML syntax: did not find expected' in text(
        response
    )


# --- imports ---------------------------------------------------------------------------------------


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_bad_yaml_file_shows_located_errors_and_leaves_the_draft_unchanged(
    login: Any, hr_admin: User
) -> None:
    before = snapshot()
    bad = b"name: Acme\nfamilies:\n  - id: Engineering Team\n    name: Engineering\n    colour: blue\n"
    response = login(hr_admin).post(
        f"{A}/import/", {"operation": "yaml", "yaml-revision": "3", "yaml-file": upload("acme.yaml", bad)}
    )
    assert response.status_code == 400
    html = text(response)
    assert "acme.yaml: 2 errors, nothing imported" in html
    assert '<th scope="row">acme.yaml:3:9</th> <td><code>TRL012</code></td>' in html
    assert '<th scope="row">acme.yaml:5:5</th> <td><code>TRL010</code></td>' in html
    assert "acme.yaml has errors: nothing was imported." in html
    assert snapshot() == before


def test_a_good_yaml_file_replaces_the_draft(login: Any, hr_admin: User) -> None:
    framework = starter(["design"], "startup", name="Acme")
    response = login(hr_admin).post(
        f"{A}/import/",
        {
            "operation": "yaml",
            "yaml-revision": "3",
            "yaml-file": upload("acme.yaml", dumps(framework).encode()),
        },
    )
    assert (response.status_code, response["Location"]) == (302, f"{A}/")
    assert draft().yaml_text == dumps(framework)


def xlsx_with_a_formula() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "IC"
    sheet.append(["Competency", "L1", "L2"])
    sheet.append(["Forecasting", "=1+1", "Builds the forecast."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_bad_spreadsheet_shows_sheet_row_and_column_and_changes_nothing(login: Any, hr_admin: User) -> None:
    before = snapshot()
    response = login(hr_admin).post(
        f"{A}/import/",
        {
            "operation": "matrix",
            "matrix-revision": "3",
            "matrix-family": "Finance",
            "matrix-mode": "merge",
            "matrix-file": upload("finance.xlsx", xlsx_with_a_formula()),
        },
    )
    assert response.status_code == 400
    html = text(response)
    assert '<th scope="row">finance.xlsx, sheet IC, row 2, column 2</th> <td><code>TRL306</code></td>' in html
    assert snapshot() == before
    csv = login(hr_admin).post(
        f"{A}/import/",
        {
            "operation": "matrix",
            "matrix-revision": "3",
            "matrix-family": "Finance",
            "matrix-mode": "merge",
            "matrix-file": upload("finance.csv", b"competency,L1,L2\nForecasting,a,b\n,x,y\n"),
        },
    )
    assert '<th scope="row">finance.csv, row 3, column 1</th> <td><code>TRL305</code></td>' in text(csv)
    assert snapshot() == before


def test_a_spreadsheet_family_is_merged_or_replaces_the_draft(login: Any, hr_admin: User) -> None:
    client = login(hr_admin)
    matrix = b"competency,L1,L2,L3,L4\nForecasting,a,b,c,d\nCommunication,e,f,g,h\n"
    merged = client.post(
        f"{A}/import/",
        {
            "operation": "matrix",
            "matrix-revision": "3",
            "matrix-family": "Finance",
            "matrix-mode": "merge",
            "matrix-file": upload("finance.csv", matrix),
        },
    )
    assert merged.status_code == 302
    assert [f.id for f in loads(draft().yaml_text).families] == [
        "engineering",
        "product",
        "marketing",
        "finance",
    ]
    page = text(client.get(f"{A}/"))
    assert (
        "Imported the family from the file: it was added as a new family; the other families are unchanged."
        in page
    )
    assert "Read communication as the draft&#x27;s core competency." in page
    replaced = client.post(
        f"{A}/import/",
        {
            "operation": "matrix",
            "matrix-revision": "4",
            "matrix-family": "Finance",
            "matrix-mode": "replace",
            "matrix-file": upload("finance.csv", matrix),
        },
    )
    assert replaced.status_code == 302
    assert [f.id for f in loads(draft().yaml_text).families] == ["finance"]
    assert "Imported the file: the draft is now the one family it holds." in text(client.get(f"{A}/"))


def test_starting_from_the_library(login: Any, hr_admin: User) -> None:
    response = login(hr_admin).post(
        f"{A}/import/",
        {
            "operation": "starter",
            "starter-revision": "3",
            "starter-families": ["sales", "design"],
            "starter-size": "startup",
            "starter-mode": "replace",
            "starter-name": "Acme",
        },
    )
    assert response.status_code == 302
    assert draft().yaml_text == dumps(starter(["sales", "design"], "startup", name="Acme"))
    invalid = login(hr_admin).post(
        f"{A}/import/", {"operation": "starter", "starter-revision": "4", "starter-size": "huge"}
    )
    assert invalid.status_code == 400
    assert "Select a valid choice. huge is not one of the available choices." in text(invalid)


def test_an_import_after_someone_saved_is_a_conflict(login: Any, hr_admin: User) -> None:
    before = snapshot()
    response = login(hr_admin).post(
        f"{A}/import/",
        {
            "operation": "starter",
            "starter-revision": "2",
            "starter-families": ["sales"],
            "starter-size": "startup",
            "starter-mode": "add",
        },
    )
    assert response.status_code == 409
    assert "Someone else saved the draft first (you had revision 2; it is now at 3)." in text(response)
    assert snapshot() == before


# --- the review workflow -----------------------------------------------------------------------------


def test_submit_return_with_a_comment_and_submit_again(login: Any, coauthor: User, hr_admin: User) -> None:
    assert login(coauthor).post(f"{A}/submit/", {"revision": "3"}).status_code == 302
    assert draft().status == "in_review"
    html = text(login(hr_admin).get(f"{A}/"))
    assert '<span class="status status--in_review">In review</span>' in html
    assert "Return to draft" in html
    missing = login(hr_admin).post(f"{A}/return/", {"revision": "3", "comment": ""})
    assert missing.status_code == 400
    assert draft().status == "in_review"
    returned = login(hr_admin).post(f"{A}/return/", {"revision": "3", "comment": "Reword IC3 communication."})
    assert returned.status_code == 302
    page = text(login(coauthor).get(f"{A}/"))
    assert "Returned from review by Hana HR:" in page
    assert '<p class="review-comment">Reword IC3 communication.</p>' in page
    assert list(AuditEvent.objects.order_by("id").values_list("action", "fields"))[-2:] == [
        ("framework.draft_submitted", ["status"]),
        ("framework.draft_returned", ["review_comment", "status"]),
    ]


def test_submitting_twice_is_refused(login: Any, coauthor: User) -> None:
    login(coauthor).post(f"{A}/submit/", {"revision": "3"})
    before = snapshot()
    response = login(coauthor).post(f"{A}/submit/", {"revision": "3"})
    assert response.status_code == 400
    assert "the draft is already in review" in text(response)
    assert snapshot() == before
