"""The career path explorer: every move from a person's position, explained against their figures
(tests/evaluation/readiness.yaml: one family, so the moves are up the track and across to
management; the other families' derived moves are tested in tests/evaluation/test_paths.py)."""

from __future__ import annotations

import html as markup
import re

import pytest

from trellis.web.accounts.models import User
from trellis.web.people.models import Person

pytestmark = pytest.mark.django_db


def moves(text: str) -> list[str]:
    """Each move card as its text (white space folded)."""
    cards = re.findall(r'<li class="move-card">(.*?)</li>', text, flags=re.S)
    return [" ".join(markup.unescape(re.sub(r"<[^>]+>", " ", card)).split()) for card in cards]


def test_the_employee_sees_the_next_level_explained_by_their_figures(
    rated: None, login: object, employee: User
) -> None:
    client = login(employee)  # type: ignore[operator]
    response = client.get(f"/growth/{employee.person.pk}/paths/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Where you can go" in text and "Up your track" in text and "Across to another track" not in text
    # IC3 expects 3, 4, 4; the employee stands at Communication 2, Delivery 4, Software craft 2.
    assert moves(text) == [
        "IC3 Senior · Individual contributor, Engineering 0.33 1 of 3 competencies transfer; gaps: Software craft −2,"
        " Communication −1 The gaps toward IC3, competency by competency Draft a plan toward IC3"
    ]
    assert f'href="/growth/{employee.person.pk}/gaps/?target=engineering/ic/IC3"' in text


def test_a_senior_engineer_sees_the_crossover_with_its_entry_criteria(
    version: object,
    login: object,
    outsider: User,
    other_manager: User,
) -> None:
    client = login(other_manager)  # type: ignore[operator]
    text = client.get(f"/growth/{outsider.person.pk}/paths/").content.decode()
    cards = moves(text)
    assert [card.split(" · ")[0] for card in cards] == ["IC4 Staff", "M1 Manager"]
    assert "Has mentored an engineer for two quarters." in cards[1]
    assert "0 of 3 competencies transfer; not rated yet: Communication, Delivery, Software craft" in cards[0]


def test_a_level_the_framework_lacks_is_said(version: object, login: object, employee: User) -> None:
    Person.objects.filter(pk=employee.person.pk).update(level_code="IC9")
    text = login(employee).get(f"/growth/{employee.person.pk}/paths/").content.decode()  # type: ignore[operator]
    assert "The published framework has no level IC9 on this track" in text
