"""One band wording and one duration wording on every surface a person meets them: the level and
family pages, the home and profile pages, the HTML and Markdown exports, a search result and a lint
message all say "EUR 90,000–120,000.50" and "2 years" (the words `trellis.framework.wording` pins)."""

from __future__ import annotations

from typing import Any

import pytest

from trellis.framework.lint import lint
from trellis.framework.model import CompensationBand, Framework
from trellis.framework.render import render
from trellis.framework.search import build_index
from trellis.framework.templates import starter
from trellis.web.accounts.models import User

from .test_browse_pages import main, page, publish, squeeze

pytestmark = pytest.mark.django_db

BAND = "EUR 90,000–120,000.50"
DURATION = "2 years"


def banded_framework() -> Framework:
    """The starter framework with IC2 (the employee's level) and the top IC level on a band with
    cents and a minimum of 24 months, and the top management level paid more (so parity warns)."""
    framework = starter(["engineering", "product", "marketing"], "growth")
    ic, management = framework.families[0].tracks
    for level in (ic.levels[1], ic.levels[-1]):
        level.band = CompensationBand(minimum=90000, maximum=120000.5, currency="EUR")
        level.min_months_in_level = 24
    management.levels[-1].band = CompensationBand(minimum=90000, maximum=150000, currency="EUR")
    return framework


def test_the_pages_say_the_same_band_and_duration(
    login: Any, hr_admin: User, employee: User, manager: User
) -> None:
    publish(hr_admin, banded_framework())
    client = login(employee)
    level = squeeze(main(page(client, "/framework/families/engineering/ic/levels/IC2/")))
    assert f"<div><dt>Compensation band</dt><dd>{BAND}</dd></div>" in level
    assert f"<div><dt>Minimum time in level</dt><dd>{DURATION}</dd></div>" in level
    family = squeeze(main(page(client, "/framework/families/engineering/")))
    assert f'<p class="ladder-level__band">Band {BAND}</p>' in family
    assert f'<p class="muted">At least {DURATION} in level</p>' in family
    home = squeeze(main(page(client, "/")))
    assert f"<div><dt>Minimum time in level</dt><dd>{DURATION}</dd></div>" in home
    profile = squeeze(main(page(login(manager), f"/people/{employee.person.pk}/")))
    assert f"<div><dt>Minimum time in level</dt><dd>{DURATION}</dd></div>" in profile


def test_the_exports_search_and_lint_say_the_same_band_and_duration() -> None:
    framework = banded_framework()
    html = render(framework, "html").decode()
    ic2_row = html.split('<tr id="level-engineering-IC2">', 1)[1].split("</tr>", 1)[0]
    assert ic2_row.endswith(f"<td>{BAND}</td><td>{DURATION}</td>")
    markdown = render(framework, "md").decode()
    ic2_line = next(line for line in markdown.splitlines() if line.startswith("| IC2 |"))
    assert ic2_line.endswith(f"| {BAND} | {DURATION} |")

    index = build_index(framework)
    (result,) = [
        r
        for r in index.search("120,000.50")
        if r.address.level == "IC2" and r.address.family == "engineering"
    ]
    assert "".join(fragment.text for fragment in result.fragments) == BAND
    assert result.field == "Compensation band"
    (result,) = [
        r for r in index.search(DURATION) if r.address.level == "IC2" and r.address.family == "engineering"
    ]
    assert "".join(fragment.text for fragment in result.fragments) == DURATION
    assert result.field == "Minimum time in level"

    (parity,) = [finding for finding in lint(framework) if finding.code == "TRL213"]
    assert parity.message == (
        f'top of track "ic" (IC6) has the band {BAND}, which tops out below EUR 90,000–150,000 at '
        'the top of management track "management" (M3)'
    )
