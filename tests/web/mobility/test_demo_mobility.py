"""The demo company's marketplace: roles and gigs open, applications in several stages with one
hidden, a role filled from inside, and a gig the employee persona fits."""

from __future__ import annotations

import datetime

import pytest

from trellis.web.accounts.models import User
from trellis.web.mobility.demo_mobility import DEMO_GIG_TITLE, load_demo_mobility
from trellis.web.mobility.models import Application, Opportunity
from trellis.web.mobility.selectors import open_opportunities_get
from trellis.web.people import demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_marketplace_worth_opening() -> None:
    demo.load_demo()
    kinds = sorted(Opportunity.objects.values_list("kind", "status"))
    assert kinds == [("gig", "open"), ("project", "open"), ("role", "filled"), ("role", "open")]
    assert Opportunity.objects.filter(hiring_manager__email=demo.MANAGER_EMAIL).count() == 2
    assert sorted(Application.objects.values_list("stage", "hidden_from_manager")) == [
        ("accepted", False), ("applied", False), ("applied", True), ("interested", False), ("offered", False),
        ("talking", False),
    ]  # fmt: skip
    filled = Opportunity.objects.get(status="filled")
    assert filled.time_to_fill == datetime.timedelta(days=26)
    employee = User.objects.get(email=demo.EMPLOYEE_EMAIL)
    scores = {
        card.opportunity.title: card.explanation.score
        for card in open_opportunities_get(viewer=employee, framework=None)
    }
    assert scores[DEMO_GIG_TITLE] == "100% match"
    assert load_demo_mobility() == []  # once only
