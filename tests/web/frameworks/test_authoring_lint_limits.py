"""The authoring pages on pathological text: a behaviour beyond the length limit is refused where
it is typed, and a draft that lints slowly still renders (lint stops at its budget)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from trellis.framework.model import BEHAVIOUR_MAX_LENGTH
from trellis.framework.yaml_io import loads
from trellis.web.accounts.models import User
from trellis.web.audit.models import AuditEvent
from trellis.web.frameworks import authoring_selectors
from trellis.web.frameworks.models import FrameworkDraft, FrameworkVersion

pytestmark = pytest.mark.django_db

A = "/framework/authoring"
BEHAVIOURS = f"{A}/edit/families/engineering/tracks/ic/behaviours/communication/"


@pytest.fixture(autouse=True)
def _published(published_framework: FrameworkVersion) -> None:
    """Version 1 is published; the draft is at revision 3."""


def snapshot() -> tuple[object, ...]:
    return (
        list(FrameworkDraft.objects.values_list("yaml_text", "status", "revision")),
        AuditEvent.objects.count(),
    )


def behaviours_data(**changes: str) -> dict[str, str]:
    draft = FrameworkDraft.objects.get()
    line = loads(draft.yaml_text).family("engineering").track("ic").expectations["communication"]  # type: ignore[union-attr]
    data = {"operation": "save", "revision": str(draft.revision)}
    for code, expectation in line.items():
        data[f"{code}-proficiency"] = str(expectation.proficiency)
        data[f"{code}-behaviour"] = expectation.behaviour
    data.update(changes)
    return data


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_behaviour_beyond_the_limit_is_refused_beside_its_field_and_nothing_is_stored(
    login: Any, coauthor: User
) -> None:
    before = snapshot()
    too_long = "x" * (BEHAVIOUR_MAX_LENGTH + 1)
    response = login(coauthor).post(BEHAVIOURS, behaviours_data(**{"IC3-behaviour": too_long}))
    assert response.status_code == 400
    html = text(response)
    assert (
        '<ul class="errorlist" id="id_IC3-behaviour_error"><li>Ensure this value has at most 1000 '
        "characters (it has 1001).</li></ul>"
    ) in html
    assert 'name="IC3-behaviour" cols="40" rows="3" maxlength="1000"' in html  # the browser stops there too
    assert snapshot() == before


def test_the_yaml_editor_refuses_a_behaviour_beyond_the_limit_at_its_line_and_column(
    login: Any, hr_admin: User
) -> None:
    yaml_text = FrameworkDraft.objects.get().yaml_text
    start = yaml_text.index("behaviour: ") + len("behaviour: ")
    end = yaml_text.index("\n", start)
    broken = yaml_text[:start] + "x" * (BEHAVIOUR_MAX_LENGTH + 1) + yaml_text[end:]
    line = broken.count("\n", 0, start) + 1
    column = start - broken.rindex("\n", 0, start)
    before = snapshot()
    response = login(hr_admin).post(f"{A}/yaml/", {"yaml_text": broken, "revision": "3"})
    assert response.status_code == 400
    html = text(response)
    assert "1 error: nothing was saved." in html
    assert (
        f'<span class="finding__where">line {line}, column {column}:</span> '
        "Behaviour: string should have at most 1000 characters"
    ) in html
    assert snapshot() == before


def test_a_draft_whose_lint_runs_out_of_time_still_renders_with_the_stop_finding(
    login: Any, hr_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A budget of 0 stands for a draft that takes longer than the budget: no timing in a test.
    monkeypatch.setattr(authoring_selectors, "LINT_BUDGET_SECONDS", 0)
    monkeypatch.setattr(authoring_selectors, "_draft_checked", None)  # the text's answer is cached
    response = login(hr_admin).get(f"{A}/")
    assert response.status_code == 200
    html = text(response)
    assert "<p>0 errors, 1 warning.</p>" in html
    assert (
        '<th scope="row"><code>TRL200</code></th> <td><a href="/framework/authoring/yaml/?line=1">Framework'
        "</a></td> <td>Lint stopped after 0 s at TRL201 (trait-wording): the findings of that rule "
        'and the rules after it may be missing <span class="finding__hint">(run `trellis lint` on the file '
        "to see every finding)</span></td>"
    ) in html


def test_the_live_lint_with_no_time_left_still_answers(
    login: Any, coauthor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trellis.web.frameworks import authoring_support

    monkeypatch.setattr(authoring_support, "LINT_BUDGET_SECONDS", 0)
    before = snapshot()
    response = login(coauthor).post(
        f"{BEHAVIOURS}lint/?field=IC3-behaviour",
        behaviours_data(**{"IC3-behaviour": "Demonstrates leadership."}),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    # Lint stopped before the trait rule: the field shows what it found (nothing), not an error.
    assert "No findings." in text(response)
    assert snapshot() == before
