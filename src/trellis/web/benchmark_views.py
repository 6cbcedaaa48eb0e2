"""The floor page of `make bench`: the cheapest page the app can serve, measured beside real pages.

Mounted only when the setting ``TRELLIS_BENCHMARK_PAGES`` is true (environment variable of the same
name; off by default), so it is no part of the product and the authorization walk never meets it.

It goes through everything every page goes through (session, login, the policy, the base template
with its navigation) and adds exactly one query of its own and a 50-row table, so a page's
requests/second divided by the floor's says what that page costs beyond the app's fixed price.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from trellis.web import policy
from trellis.web.accounts.viewer import viewer
from trellis.web.people.models import Team
from trellis.web.policy import Action

FLOOR_ROWS = 50


@require_safe
def floor(request: HttpRequest) -> HttpResponse:
    """One query (the first 50 teams by name, which every signed-in person may see) in a table."""
    policy.require(viewer(request), Action.HOME_VIEW)
    teams = list(Team.objects.order_by("name").values_list("id", "name")[:FLOOR_ROWS])
    return render(request, "benchmark_floor.html", {"teams": teams})
