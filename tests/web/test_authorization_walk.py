"""The authorization walk: every URL the app serves, as every kind of viewer, against one table.

The URL patterns are read from Django's resolver (recursively, through namespaced includes), each
path parameter is filled from the persona company of `tests/web/conftest.py` — a person of each
relation to the viewer, a family the co-author edits and one they do not, … — and every URL is
requested with GET and with POST as each actor below. The answer expected for every (URL, method,
actor) is written in `EXPECTED`. A URL the table does not list fails the walk, naming it (and giving
the row to fill in), so a new page cannot be served unchecked; a row for a URL the app no longer
serves fails it too.

Refusals — anonymous sent to the login page, 403, 404, 405 — must change nothing: every table's row
count and a checksum of its rows are compared before and after. Each request runs in a savepoint
that is rolled back afterwards, so every request meets the same company whatever the previous one
did (a POST that HR may make, a sign-out).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from trellis.web.accounts.models import User
from trellis.web.frameworks.models import FamilyCoauthor, FrameworkVersion

from .conftest import HttpsClient, make_person, make_user
from .growth.walk_one_on_ones import EMPLOYEE_PRIVATE_MARKER, MANAGER_PRIVATE_MARKER, one_on_one_scenario
from .growth.walk_plans import plan_scenario
from .mobility.walk_data import mobility_scenario
from .promotions.walk_data import promotion_scenario
from .reviews.walk_data import review_scenario

pytestmark = pytest.mark.django_db

#: The viewers, in the order of the table's columns. "manager" manages the subject (the employee);
#: "other_manager" manages someone else; the co-author edits Engineering; "skip_level" manages the
#: manager; "peer" is the employee's teammate (another report of the same manager).
ACTORS = (
    "anonymous", "employee", "manager", "other_manager", "coauthor", "hr_admin", "it_admin", "skip_level", "peer"
)  # fmt: skip
#: Actors walked without a column of their own: each must be answered exactly as the actor named.
#: "deactivated" is a former HR and IT admin whose account was switched off after they signed in —
#: their session cookie still exists and a co-authorship of Engineering was left behind, and it
#: must open nothing that an anonymous visitor could not.
ANSWERED_AS = {"deactivated": "anonymous"}
WALKED_ACTORS = ACTORS + tuple(ANSWERED_AS)
METHODS = ("GET", "POST")


@dataclass(frozen=True)
class Redirect:
    """A 302 to `to`; ``Redirect("login")`` is the login page with ``?next=`` the requested path."""

    to: str


LOGIN = Redirect("login")
HOME = Redirect("/")
SIGNED_OUT = Redirect("/accounts/login/")
INVITATIONS = Redirect("/accounts/admin/invitations/")
PARTICIPANT = Redirect("/reviews/participants/{participant_id}/")
ASSESSMENT = Redirect("/reviews/participants/{participant_id}/{source}/")
OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 403, 404, 405
#: Calibration's writes return to the session's board, and the target to the cycle's page.
BOARD = Redirect("/reviews/calibration/groups/{group_id}/")
CYCLE = Redirect("/reviews/calibration/cycles/{cycle_id}/")
#: A plan drafted without a target returns to the person's gaps page, saying why.
GAPS = Redirect("/growth/{person_id}/gaps/")
Expected = int | Redirect

# fmt: off
#: (route, method) → the answer for each actor, in the order of ACTORS. A route is the URL's name,
#: followed by the variant of each path parameter it has (see PARAMETERS), e.g.
#: "people:detail person_id=outsider". "static" is a file served by the static files handler.
EXPECTED: dict[tuple[str, str], tuple[Expected, ...]] = {
    #                                                      anonymous    employee     manager      other_mgr    coauthor     hr_admin     it_admin     skip_level   peer
    ("static", "GET"):                                     (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("home", "GET"):                                       (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("home", "POST"):                                      (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # Signing in and resetting a password are public; a signed-in viewer is sent home from the login.
    ("accounts:login", "GET"):                             (OK,          HOME,        HOME,        HOME,        HOME,        HOME,        HOME,        HOME,        HOME),
    ("accounts:login", "POST"):                            (OK,          HOME,        HOME,        HOME,        HOME,        HOME,        HOME,        HOME,        HOME),
    ("accounts:logout", "GET"):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:logout", "POST"):                           (LOGIN,       SIGNED_OUT,  SIGNED_OUT,  SIGNED_OUT,  SIGNED_OUT,  SIGNED_OUT,  SIGNED_OUT,  SIGNED_OUT,  SIGNED_OUT),
    ("accounts:password_reset", "GET"):                    (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("accounts:password_reset", "POST"):                   (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("accounts:password_reset_done", "GET"):               (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("accounts:password_reset_done", "POST"):              (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:password_reset_confirm uidb64=employee token=invalid", "GET"):
                                                           (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("accounts:password_reset_confirm uidb64=employee token=invalid", "POST"):
                                                           (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("accounts:password_reset_complete", "GET"):           (OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("accounts:password_reset_complete", "POST"):          (NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # Administration: IT admins and HR admins.
    ("accounts:admin", "GET"):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN),
    ("accounts:admin", "POST"):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:users", "GET"):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN),
    ("accounts:users", "POST"):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # Invitations: HR and IT admins invite, resend and revoke (back to the sign-ins page, which says
    # why the personas, who sign in already, were not invited); the mailed link is public, and an
    # invalid token is a page saying so.
    ("accounts:invitations", "GET"):                       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN),
    ("accounts:invitations", "POST"):                      (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_send_all", "GET"):               (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_send_all", "POST"):              (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_accept token=invalid", "GET"):   (NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("accounts:invitation_accept token=invalid", "POST"):  (NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("accounts:invitation_send person_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_send person_id=employee", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_send person_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_send person_id=manager", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_send person_id=outsider", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_send person_id=outsider", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_resend person_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_resend person_id=employee", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_resend person_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_resend person_id=manager", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_resend person_id=outsider", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_resend person_id=outsider", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_revoke person_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_revoke person_id=employee", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_revoke person_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_revoke person_id=manager", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    ("accounts:invitation_revoke person_id=outsider", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:invitation_revoke person_id=outsider", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   INVITATIONS, INVITATIONS, FORBIDDEN,   FORBIDDEN),
    # An account's deactivate/reactivate page: those who manage accounts; a POST without a reason is 400.
    ("accounts:user_status user_id=employee", "GET"):      (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN),
    ("accounts:user_status user_id=employee", "POST"):     (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN),
    # Roles: HR appoints and removes; IT admins may look.
    ("accounts:roles", "GET"):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN),
    ("accounts:roles", "POST"):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:role_add", "GET"):                          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:role_add", "POST"):                         (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("accounts:role_remove", "GET"):                       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("accounts:role_remove", "POST"):                      (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("audit:log", "GET"):                                  (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN),
    ("audit:log", "POST"):                                 (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # The published framework: every signed-in viewer.
    ("frameworks:index", "GET"):                           (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("frameworks:index", "POST"):                          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:search', 'GET'):                          (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:search', 'POST'):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:lateral_paths', 'GET'):                   (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:lateral_paths', 'POST'):                  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:family family_id=engineering', 'GET'):    (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:family family_id=engineering', 'POST'):   (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:family family_id=product', 'GET'):        (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:family family_id=product', 'POST'):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:matrix family_id=engineering track_id=ic', 'GET'):
                                                           (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:matrix family_id=engineering track_id=ic', 'POST'):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:matrix family_id=product track_id=ic', 'GET'):
                                                           (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:matrix family_id=product track_id=ic', 'POST'):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:level family_id=engineering track_id=ic level_code=IC2', 'GET'):
                                                           (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:level family_id=engineering track_id=ic level_code=IC2', 'POST'):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('frameworks:level family_id=product track_id=ic level_code=IC2', 'GET'):
                                                           (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('frameworks:level family_id=product track_id=ic level_code=IC2', 'POST'):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # People: the list for managers and HR; a profile for the person, their managers (two levels up)
    # and HR — 404 for anyone else, who may not learn that the person exists.
    ("people:list", "GET"):                                (LOGIN,       FORBIDDEN,   OK,          OK,          FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN),
    ("people:list", "POST"):                               (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("people:export_csv", "GET"):                          (LOGIN,       FORBIDDEN,   OK,          OK,          FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN),
    ("people:export_csv", "POST"):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("people:export_xlsx", "GET"):                         (LOGIN,       FORBIDDEN,   OK,          OK,          FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN),
    ("people:export_xlsx", "POST"):                        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("people:detail person_id=employee", "GET"):           (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("people:detail person_id=employee", "POST"):          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("people:detail person_id=manager", "GET"):            (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("people:detail person_id=manager", "POST"):           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("people:detail person_id=outsider", "GET"):           (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("people:detail person_id=outsider", "POST"):          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # Readiness: the person, their manager chain and HR; never the IT admin, never a peer.
    ("readiness:what_if", "GET"):                          (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("readiness:what_if", "POST"):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("readiness:detail person_id=employee", "GET"):        (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("readiness:detail person_id=employee", "POST"):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("readiness:detail person_id=manager", "GET"):         (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("readiness:detail person_id=manager", "POST"):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("readiness:detail person_id=outsider", "GET"):        (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("readiness:detail person_id=outsider", "POST"):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:gaps person_id=employee", "GET"):             (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:gaps person_id=employee", "POST"):            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:gaps person_id=manager", "GET"):              (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:gaps person_id=manager", "POST"):             (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:gaps person_id=outsider", "GET"):             (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:gaps person_id=outsider", "POST"):            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:paths person_id=employee", "GET"):            (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:paths person_id=employee", "POST"):           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:paths person_id=manager", "GET"):             (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:paths person_id=manager", "POST"):            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:paths person_id=outsider", "GET"):            (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:paths person_id=outsider", "POST"):           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # 1:1s are the pair's alone: the guide is the direct manager's, a meeting its manager's and report's;
    # HR and IT admins are told neither exists. An empty form is 400 (a field error), changing nothing.
    ("growth:one_on_ones", "GET"):                         (LOGIN,       OK,          OK,          OK,          OK,          FORBIDDEN,   FORBIDDEN,   OK,          OK),
    ("growth:one_on_ones", "POST"):                        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_guide person_id=employee", "GET"): (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_guide person_id=employee", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_guide person_id=manager", "GET"):  (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:one_on_one_guide person_id=manager", "POST"): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_guide person_id=outsider", "GET"): (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_guide person_id=outsider", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_start person_id=employee", "GET"): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_start person_id=employee", "POST"):
                                                           (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_start person_id=manager", "GET"):  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_start person_id=manager", "POST"): (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND),
    ("growth:one_on_one_start person_id=outsider", "GET"): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_start person_id=outsider", "POST"):
                                                           (LOGIN,       NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one one_on_one_id=employee", "GET"):   (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one one_on_one_id=employee", "POST"):  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one one_on_one_id=manager", "GET"):    (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:one_on_one one_on_one_id=manager", "POST"):   (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_agenda one_on_one_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_agenda one_on_one_id=employee", "POST"):
                                                           (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_agenda one_on_one_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_agenda one_on_one_id=manager", "POST"):
                                                           (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND),
    ("growth:one_on_one_agenda_tick one_on_one_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_agenda_tick one_on_one_id=employee", "POST"):
                                                           (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_agenda_tick one_on_one_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_agenda_tick one_on_one_id=manager", "POST"):
                                                           (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND),
    ("growth:one_on_one_shared_note one_on_one_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_shared_note one_on_one_id=employee", "POST"):
                                                           (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_shared_note one_on_one_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_shared_note one_on_one_id=manager", "POST"):
                                                           (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND),
    ("growth:one_on_one_private_note one_on_one_id=employee", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_private_note one_on_one_id=employee", "POST"):
                                                           (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:one_on_one_private_note one_on_one_id=manager", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:one_on_one_private_note one_on_one_id=manager", "POST"):
                                                           (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND),
    # Development plans (confidential: 404 outside the person's chain); the skip-level manager reads
    # but may not edit (403). A draft without a target goes back to the gaps page, saying why.
    ("growth:plan person_id=employee", "GET"):             (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:plan person_id=employee", "POST"):            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:plan person_id=manager", "GET"):              (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:plan person_id=manager", "POST"):             (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:plan person_id=outsider", "GET"):             (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:plan person_id=outsider", "POST"):            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:plan_draft person_id=employee", "GET"):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:plan_draft person_id=employee", "POST"):      (LOGIN,       GAPS,        GAPS,        NOT_FOUND,   NOT_FOUND,   GAPS,        NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:plan_draft person_id=manager", "GET"):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:plan_draft person_id=manager", "POST"):       (LOGIN,       NOT_FOUND,   GAPS,        NOT_FOUND,   NOT_FOUND,   GAPS,        NOT_FOUND,   GAPS,        NOT_FOUND),
    ("growth:plan_draft person_id=outsider", "GET"):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:plan_draft person_id=outsider", "POST"):      (LOGIN,       NOT_FOUND,   NOT_FOUND,   GAPS,        NOT_FOUND,   GAPS,        NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:goal_add person_id=employee", "GET"):         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:goal_add person_id=employee", "POST"):        (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:goal_add person_id=manager", "GET"):          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:goal_add person_id=manager", "POST"):         (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND),
    ("growth:goal_add person_id=outsider", "GET"):         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:goal_add person_id=outsider", "POST"):        (LOGIN,       NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:check_in_add person_id=employee", "GET"):     (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:check_in_add person_id=employee", "POST"):    (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:check_in_add person_id=manager", "GET"):      (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:check_in_add person_id=manager", "POST"):     (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND),
    ("growth:check_in_add person_id=outsider", "GET"):     (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:check_in_add person_id=outsider", "POST"):    (LOGIN,       NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:goal_status goal_id=employee", "GET"):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:goal_status goal_id=employee", "POST"):       (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:action_add goal_id=employee", "GET"):         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:action_add goal_id=employee", "POST"):        (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:progress_add goal_id=employee", "GET"):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:progress_add goal_id=employee", "POST"):      (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:action_status action_id=employee", "GET"):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:action_status action_id=employee", "POST"):   (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    # The OKR tree: everyone reads company and team objectives; a personal one, its owner's chain and
    # HR. Key results are added and measured by the objective's owner (company ones: HR).
    ("growth:objectives", "GET"):                          (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ("growth:objectives", "POST"):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:objective_add", "GET"):                       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:objective_add", "POST"):                      (LOGIN,       400,         400,         400,         400,         400,         FORBIDDEN,   400,         400),
    ("growth:key_result_add objective_id=team", "GET"):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:key_result_add objective_id=team", "POST"):   (LOGIN,       FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:key_result_add objective_id=personal", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:key_result_add objective_id=personal", "POST"):
                                                           (LOGIN,       400,         FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("growth:key_result_measure key_result_id=company", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:key_result_measure key_result_id=company", "POST"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:key_result_measure key_result_id=personal", "GET"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:key_result_measure key_result_id=personal", "POST"):
                                                           (LOGIN,       400,         FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    # Internal opportunities: the open ones for whoever has a person; a draft for its hiring manager
    # (the manager) and HR; editing, opening, closing and the ranked candidates for the hiring manager
    # (the other manager, for the open gig) and HR, 403 for others who may read it; applying for
    # everyone who may read it but its hiring manager (400: no action given); the employee's hidden
    # application moved by the gig's hiring side only.
      ('mobility:index', 'GET'):                             (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
      ('mobility:index', 'POST'):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:mine', 'GET'):                              (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
      ('mobility:mine', 'POST'):                             (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:reports', 'GET'):                           (LOGIN,       FORBIDDEN,   OK,          OK,          FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN),
      ('mobility:reports', 'POST'):                          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:new', 'GET'):                               (LOGIN,       FORBIDDEN,   OK,          OK,          FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN),
      ('mobility:new', 'POST'):                              (LOGIN,       FORBIDDEN,   400,         400,         FORBIDDEN,   400,         FORBIDDEN,   400,         FORBIDDEN),
      ('mobility:detail opportunity_id=open', 'GET'):        (LOGIN,       OK,          OK,          OK,          OK,          OK,          NOT_FOUND,   OK,          OK),
      ('mobility:detail opportunity_id=open', 'POST'):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:detail opportunity_id=draft', 'GET'):       (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
      ('mobility:detail opportunity_id=draft', 'POST'):      (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:edit opportunity_id=open', 'GET'):          (LOGIN,       FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   OK,          NOT_FOUND,   FORBIDDEN,   FORBIDDEN),
      ('mobility:edit opportunity_id=open', 'POST'):         (LOGIN,       FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   400,         NOT_FOUND,   FORBIDDEN,   FORBIDDEN),
      ('mobility:edit opportunity_id=draft', 'GET'):         (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
      ('mobility:edit opportunity_id=draft', 'POST'):        (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
      ('mobility:status opportunity_id=open', 'GET'):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:status opportunity_id=open', 'POST'):       (LOGIN,       FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   400,         NOT_FOUND,   FORBIDDEN,   FORBIDDEN),
      ('mobility:status opportunity_id=draft', 'GET'):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:status opportunity_id=draft', 'POST'):      (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
      ('mobility:apply opportunity_id=open', 'GET'):         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:apply opportunity_id=open', 'POST'):        (LOGIN,       400,         400,         FORBIDDEN,   400,         400,         NOT_FOUND,   400,         400),
      ('mobility:apply opportunity_id=draft', 'GET'):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:apply opportunity_id=draft', 'POST'):       (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
      ('mobility:candidates opportunity_id=open', 'GET'):    (LOGIN,       FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   OK,          NOT_FOUND,   FORBIDDEN,   FORBIDDEN),
      ('mobility:candidates opportunity_id=open', 'POST'):   (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:candidates opportunity_id=draft', 'GET'):   (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
      ('mobility:candidates opportunity_id=draft', 'POST'):  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:stage application_id=hidden', 'GET'):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
      ('mobility:stage application_id=hidden', 'POST'):      (LOGIN,       FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   400,         NOT_FOUND,   FORBIDDEN,   FORBIDDEN),
    # Skills heatmaps: the company and each family are HR's (403 for anyone else); a team is its
    # manager's and the managers' above them (404 for anyone else, and for someone who manages nobody).
    ("growth:heatmap", "GET"):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap", "POST"):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_export file_format=csv", "GET"):      (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_export file_format=csv", "POST"):     (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_export file_format=xlsx", "GET"):     (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_export file_format=xlsx", "POST"):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_family family_id=engineering", "GET"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_family family_id=engineering", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_family_export family_id=engineering file_format=csv", "GET"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_family_export family_id=engineering file_format=csv", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_family_export family_id=engineering file_format=xlsx", "GET"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_family_export family_id=engineering file_format=xlsx", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_family family_id=product", "GET"):    (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_family family_id=product", "POST"):   (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_family_export family_id=product file_format=csv", "GET"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_family_export family_id=product file_format=csv", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_family_export family_id=product file_format=xlsx", "GET"):
                                                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("growth:heatmap_family_export family_id=product file_format=xlsx", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team person_id=employee", "GET"):     (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:heatmap_team person_id=employee", "POST"):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team_export person_id=employee file_format=csv", "GET"):
                                                           (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:heatmap_team_export person_id=employee file_format=csv", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team_export person_id=employee file_format=xlsx", "GET"):
                                                           (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:heatmap_team_export person_id=employee file_format=xlsx", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team person_id=manager", "GET"):      (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:heatmap_team person_id=manager", "POST"):     (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team_export person_id=manager file_format=csv", "GET"):
                                                           (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:heatmap_team_export person_id=manager file_format=csv", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team_export person_id=manager file_format=xlsx", "GET"):
                                                           (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ("growth:heatmap_team_export person_id=manager file_format=xlsx", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team person_id=outsider", "GET"):     (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:heatmap_team person_id=outsider", "POST"):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team_export person_id=outsider file_format=csv", "GET"):
                                                           (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:heatmap_team_export person_id=outsider file_format=csv", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("growth:heatmap_team_export person_id=outsider file_format=xlsx", "GET"):
                                                           (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("growth:heatmap_team_export person_id=outsider file_format=xlsx", "POST"):
                                                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # Editing a person: HR only; 404 for people the viewer may not see, 403 for those they may.
    ("people:edit person_id=employee", "GET"):             (LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:edit person_id=employee", "POST"):            (LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:edit person_id=manager", "GET"):              (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:edit person_id=manager", "POST"):             (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:edit person_id=outsider", "GET"):             (LOGIN,       NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("people:edit person_id=outsider", "POST"):            (LOGIN,       NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    # Marking as left or rejoined: HR; those who see the person but may not edit them get 403, the
    # rest 404. Everyone in the walk is active, so "rejoined" sends HR back to the profile.
    ("people:mark_left person_id=employee", "GET"):        (LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_left person_id=employee", "POST"):       (LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_left person_id=manager", "GET"):         (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_left person_id=manager", "POST"):        (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_left person_id=outsider", "GET"):        (LOGIN,       NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("people:mark_left person_id=outsider", "POST"):       (LOGIN,       NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("people:mark_rejoined person_id=employee", "GET"):    (LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   Redirect("/people/{person_id}/"), NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_rejoined person_id=employee", "POST"):   (LOGIN,       FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   Redirect("/people/{person_id}/"), NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_rejoined person_id=manager", "GET"):     (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   Redirect("/people/{person_id}/"), NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_rejoined person_id=manager", "POST"):    (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   Redirect("/people/{person_id}/"), NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ("people:mark_rejoined person_id=outsider", "GET"):    (LOGIN,       NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   Redirect("/people/{person_id}/"), NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ("people:mark_rejoined person_id=outsider", "POST"):   (LOGIN,       NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   Redirect("/people/{person_id}/"), NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    # Authoring: the draft is for co-authors (their own family's content) and HR (everything);
    # published versions and their exports are for everyone signed in. A POST without the form's
    # fields is refused as a bad request (400) by those who may post; the live-lint URLs take POST only.
    ('authoring:overview', 'GET'):                         (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:overview', 'POST'):                        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:submit', 'GET'):                           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:submit', 'POST'):                          (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:publish', 'GET'):                          (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:publish', 'POST'):                         (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:return_to_draft', 'GET'):                  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:return_to_draft', 'POST'):                 (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:import', 'GET'):                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:import', 'POST'):                          (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:yaml', 'GET'):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:yaml', 'POST'):                            (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:yaml_lint', 'GET'):                        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:yaml_lint', 'POST'):                       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:framework', 'GET'):                        (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:framework', 'POST'):                       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:framework_lint', 'GET'):                   (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:framework_lint', 'POST'):                  (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency_lint competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency_lint competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency_lint competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:core_competency_lint competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:lateral_path index=0', 'GET'):             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:lateral_path index=0', 'POST'):            (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:lateral_path_lint index=0', 'GET'):        (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:lateral_path_lint index=0', 'POST'):       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family family_id=engineering', 'GET'):     (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family family_id=engineering', 'POST'):    (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family family_id=product', 'GET'):         (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family family_id=product', 'POST'):        (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family_lint family_id=engineering', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family_lint family_id=engineering', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family_lint family_id=product', 'GET'):    (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:family_lint family_id=product', 'POST'):   (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=engineering competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=engineering competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=engineering competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=engineering competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=product competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=product competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=product competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency family_id=product competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=engineering competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=engineering competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=engineering competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=engineering competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=product competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=product competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=product competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:competency_lint family_id=product competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion family_id=engineering from_level=IC2 to_level=IC3', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion family_id=engineering from_level=IC2 to_level=IC3', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion family_id=product from_level=IC2 to_level=IC3', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion family_id=product from_level=IC2 to_level=IC3', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion_lint family_id=engineering from_level=IC2 to_level=IC3', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion_lint family_id=engineering from_level=IC2 to_level=IC3', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion_lint family_id=product from_level=IC2 to_level=IC3', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:promotion_lint family_id=product from_level=IC2 to_level=IC3', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track family_id=engineering track_id=ic', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track family_id=engineering track_id=ic', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track family_id=product track_id=ic', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track family_id=product track_id=ic', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track_lint family_id=engineering track_id=ic', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track_lint family_id=engineering track_id=ic', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track_lint family_id=product track_id=ic', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:track_lint family_id=product track_id=ic', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level family_id=engineering track_id=ic code=IC2', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level family_id=engineering track_id=ic code=IC2', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level family_id=product track_id=ic code=IC2', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level family_id=product track_id=ic code=IC2', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level_lint family_id=engineering track_id=ic code=IC2', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level_lint family_id=engineering track_id=ic code=IC2', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level_lint family_id=product track_id=ic code=IC2', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:level_lint family_id=product track_id=ic code=IC2', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=engineering track_id=ic competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=engineering track_id=ic competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=engineering track_id=ic competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=engineering track_id=ic competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=product track_id=ic competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=product track_id=ic competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=product track_id=ic competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours family_id=product track_id=ic competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=engineering track_id=ic competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=engineering track_id=ic competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=engineering track_id=ic competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=engineering track_id=ic competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=product track_id=ic competency_id=communication', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_ALLOWED, FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=product track_id=ic competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=product track_id=ic competency_id=system_design', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:behaviours_lint family_id=product track_id=ic competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:versions', 'GET'):                         (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('authoring:versions', 'POST'):                        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:compare', 'GET'):                          (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('authoring:compare', 'POST'):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:version number=1', 'GET'):                 (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    ('authoring:version number=1', 'POST'):                (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('authoring:version_export number=1 fmt=yaml', 'GET'): (LOGIN,       OK,          OK,          OK,          OK,          OK,          OK,          OK,          OK),
    # A POST asks again for an export whose rendering failed, then shows the download page.
    ('authoring:version_export number=1 fmt=yaml', 'POST'): (LOGIN, *[Redirect("/framework/authoring/versions/{number}/export/{fmt}/")] * 8),
    ('authoring:draft_export fmt=yaml', 'GET'):            (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('authoring:draft_export fmt=yaml', 'POST'):           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,
                                                            Redirect("/framework/authoring/draft/export/{fmt}/"),
                                                            Redirect("/framework/authoring/draft/export/{fmt}/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
    # Importing people: HR only (403 for everyone else, before the job is looked up).
    ('imports:start', 'GET'):                              (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:start', 'POST'):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:template', 'GET'):                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:template', 'POST'):                          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('imports:job job_id=uploaded', 'GET'):                (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   Redirect(to='/people/import/{job_id}/columns/'), FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:job job_id=uploaded', 'POST'):               (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('imports:columns job_id=uploaded', 'GET'):            (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:columns job_id=uploaded', 'POST'):           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:preview job_id=uploaded', 'GET'):            (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   Redirect(to='/people/import/{job_id}/'), FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:preview job_id=uploaded', 'POST'):           (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('imports:apply job_id=uploaded', 'GET'):              (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('imports:apply job_id=uploaded', 'POST'):             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   Redirect(to='/people/import/{job_id}/preview/'), FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('imports:discard job_id=uploaded', 'GET'):            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('imports:discard job_id=uploaded', 'POST'):           (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   Redirect(to='/people/import/'), FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    # Importing past ratings: HR only (403 for everyone else, before the file is looked up); the
    # walk's checked file reads well, so HR's POST imports it, and its page shows the result.
    ("rating_imports:start", "GET"):                       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("rating_imports:start", "POST"):                      (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("rating_imports:job import_id=checked", "GET"):       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ("rating_imports:job import_id=checked", "POST"):      (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   Redirect("/reviews/import/{import_id}/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
    ("rating_imports:discard import_id=checked", "GET"):   (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ("rating_imports:discard import_id=checked", "POST"):  (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   Redirect("/reviews/import/"), FORBIDDEN, FORBIDDEN, FORBIDDEN),
    # Review cycles (reviews app): HR opens and runs cycles; "My reviews" for everyone with a person
    # (IT admins have none). A participant's page: the person, their manager chain and HR (404 for
    # anyone else). The assessment forms: the author writes (self: the person; manager: their
    # manager in the cycle), others who may read it see it read-only — the manager reads a
    # self-assessment once submitted (the walk's is not), the subject a manager's once shared (the
    # walk's cycle is in its assessment phase) — everyone else who sees the person 403. A POST
    # without the form's fields saves nothing. Sign-off: the manager in the cycle or HR, never
    # oneself; outside the sign-off phase it is refused with a message on the participant's page.
    ('reviews:mine', 'GET'):                               (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
    ('reviews:mine', 'POST'):                              (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:agreement', 'GET'):                          (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('reviews:agreement', 'POST'):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:cycles', 'GET'):                             (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('reviews:cycles', 'POST'):                            (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:cycle_new', 'GET'):                          (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('reviews:cycle_new', 'POST'):                         (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('reviews:cycle cycle_id=open', 'GET'):                (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('reviews:cycle cycle_id=open', 'POST'):               (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:cycle_advance cycle_id=open', 'GET'):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:cycle_advance cycle_id=open', 'POST'):       (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('reviews:participant participant_id=employee', 'GET'): (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('reviews:participant participant_id=employee', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:participant participant_id=manager', 'GET'): (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('reviews:participant participant_id=manager', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:sign_off participant_id=employee', 'GET'):   (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:sign_off participant_id=employee', 'POST'):  (LOGIN,       FORBIDDEN,   PARTICIPANT, NOT_FOUND,   NOT_FOUND,   PARTICIPANT, NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:sign_off participant_id=manager', 'GET'):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:sign_off participant_id=manager', 'POST'):   (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   PARTICIPANT, NOT_FOUND,   PARTICIPANT, NOT_FOUND),
    ('reviews:assessment participant_id=employee source=self', 'GET'): (LOGIN,       OK,          FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:assessment participant_id=employee source=self', 'POST'): (LOGIN,       ASSESSMENT, FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:assessment participant_id=employee source=manager', 'GET'): (LOGIN,       FORBIDDEN,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('reviews:assessment participant_id=employee source=manager', 'POST'): (LOGIN,       FORBIDDEN,   ASSESSMENT, NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:assessment participant_id=manager source=self', 'GET'): (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:assessment participant_id=manager source=self', 'POST'): (LOGIN,       NOT_FOUND,   ASSESSMENT, NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:assessment participant_id=manager source=manager', 'GET'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('reviews:assessment participant_id=manager source=manager', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   ASSESSMENT, NOT_FOUND),
    ('reviews:rating_save participant_id=employee source=self competency_id=communication', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=employee source=self competency_id=communication', 'POST'): (LOGIN,       400,         FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:rating_save participant_id=employee source=self competency_id=system_design', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=employee source=self competency_id=system_design', 'POST'): (LOGIN,       400,         FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:rating_save participant_id=employee source=manager competency_id=communication', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=employee source=manager competency_id=communication', 'POST'): (LOGIN,       FORBIDDEN,   400,         NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:rating_save participant_id=employee source=manager competency_id=system_design', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=employee source=manager competency_id=system_design', 'POST'): (LOGIN,       FORBIDDEN,   400,         NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:rating_save participant_id=manager source=self competency_id=communication', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=manager source=self competency_id=communication', 'POST'): (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:rating_save participant_id=manager source=self competency_id=system_design', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=manager source=self competency_id=system_design', 'POST'): (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('reviews:rating_save participant_id=manager source=manager competency_id=communication', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=manager source=manager competency_id=communication', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND),
    ('reviews:rating_save participant_id=manager source=manager competency_id=system_design', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('reviews:rating_save participant_id=manager source=manager competency_id=system_design', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND),
    # Calibration: HR manages every cycle's groups, target and closing; the group's members (the two
    # managers) and HR see its session and adjust, note and confirm — except a member's own ratings
    # (the manager is calibrated in the group too). Anyone else: the session does not exist (404).
    # An empty form is 400 for those who may send it; so is a confirmation, the walk's cycle being in
    # its assessment phase (calibration works in the calibration phase only: test_calibration.py).
    ('calibration:cycle cycle_id=open', 'GET'):           (LOGIN,       NOT_FOUND,   OK,          OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:cycle cycle_id=open', 'POST'):          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:group_create cycle_id=open', 'GET'):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:group_create cycle_id=open', 'POST'):   (LOGIN,       NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:target cycle_id=open', 'GET'):          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:target cycle_id=open', 'POST'):         (LOGIN,       NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   CYCLE, NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:group group_id=managers', 'GET'):        (LOGIN,       NOT_FOUND,   OK,          OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:group group_id=managers', 'POST'):       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:close group_id=managers', 'GET'):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:close group_id=managers', 'POST'):       (LOGIN,       NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   BOARD, NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:participant group_id=managers participant_id=employee', 'GET'): (LOGIN,       NOT_FOUND,   OK,          OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:participant group_id=managers participant_id=employee', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:participant group_id=managers participant_id=manager', 'GET'): (LOGIN,       NOT_FOUND,   OK,          OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:participant group_id=managers participant_id=manager', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:adjust group_id=managers participant_id=employee', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:adjust group_id=managers participant_id=employee', 'POST'): (LOGIN,       NOT_FOUND,   400,         400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:adjust group_id=managers participant_id=manager', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:adjust group_id=managers participant_id=manager', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:note group_id=managers participant_id=employee', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:note group_id=managers participant_id=employee', 'POST'): (LOGIN,       NOT_FOUND,   400,         400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:note group_id=managers participant_id=manager', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:note group_id=managers participant_id=manager', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:confirm group_id=managers participant_id=employee', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:confirm group_id=managers participant_id=employee', 'POST'): (LOGIN,       NOT_FOUND,   400,         400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('calibration:confirm group_id=managers participant_id=manager', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('calibration:confirm group_id=managers participant_id=manager', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    # Peer and upward feedback, evidence (feedback_urls): the employee is the subject, the manager their
    # cycle manager, the skip level sees (never decides), the peer answers their own request only; HR
    # sees everything but answers nobody's feedback; the IT admin sees none of it. A POST without the
    # form's fields is a 400 for those who may post.
    ('feedback:requests', 'GET'):                          (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
    ('feedback:requests', 'POST'):                         (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:answer assessment_id=peer', 'GET'):         (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   OK),
    ('feedback:answer assessment_id=peer', 'POST'):        (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400),
    # One competency's answer saved as the peer types (htmx): the author's alone, like the form;
    # a competency the answer does not have (the walk's peer answer has communication only) is 404.
    ('feedback:answer_save assessment_id=peer competency_id=communication', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:answer_save assessment_id=peer competency_id=communication', 'POST'): (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400),
    ('feedback:answer_save assessment_id=peer competency_id=system_design', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:answer_save assessment_id=peer competency_id=system_design', 'POST'): (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND),
    # The walk's cycle asks no upward feedback: its participants are told so (400), others find no cycle.
    ('feedback:upward_start cycle_id=open', 'GET'):        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:upward_start cycle_id=open', 'POST'):       (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   400),
    ('feedback:participant cycle_id=open person_id=employee', 'GET'): (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('feedback:participant cycle_id=open person_id=employee', 'POST'): (LOGIN,       400,         400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('feedback:participant cycle_id=open person_id=manager', 'GET'): (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('feedback:participant cycle_id=open person_id=manager', 'POST'): (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND),
    ('feedback:participant cycle_id=open person_id=outsider', 'GET'): (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('feedback:participant cycle_id=open person_id=outsider', 'POST'): (LOGIN,       NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('feedback:nomination_decide peer_nomination_id=proposed', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:nomination_decide peer_nomination_id=proposed', 'POST'): (LOGIN,       FORBIDDEN,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    # The co-author's nomination is not approved: they are told so (400); it is nobody else's to begin.
    ('feedback:peer_start peer_nomination_id=proposed', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:peer_start peer_nomination_id=proposed', 'POST'): (LOGIN,       NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND),
    ('feedback:evidence_mine', 'GET'):                     (LOGIN,       OK,          OK,          OK,          OK,          NOT_FOUND,   FORBIDDEN,   OK,          OK),
    ('feedback:evidence_mine', 'POST'):                    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:evidence_new', 'GET'):                      (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
    ('feedback:evidence_new', 'POST'):                     (LOGIN,       400,         400,         400,         400,         400,         FORBIDDEN,   400,         400),
    ('feedback:evidence_person person_id=employee', 'GET'): (LOGIN,       OK,          OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('feedback:evidence_person person_id=employee', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:evidence_person person_id=manager', 'GET'): (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('feedback:evidence_person person_id=manager', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('feedback:evidence_person person_id=outsider', 'GET'): (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('feedback:evidence_person person_id=outsider', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    # Notifications: one's own (accounts without a person — the IT admin — have none to read).
    ('notifications:list', 'GET'):                         (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
    ('notifications:list', 'POST'):                        (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('notifications:read_all', 'GET'):                     (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('notifications:read_all', 'POST'):                    (LOGIN,       Redirect('/notifications/'), Redirect('/notifications/'), Redirect('/notifications/'), Redirect('/notifications/'), Redirect('/notifications/'), FORBIDDEN, Redirect('/notifications/'), Redirect('/notifications/')),
    ('notifications:read notification_id=employee', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('notifications:read notification_id=employee', 'POST'): (LOGIN,       Redirect('/notifications/'), NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND),
    # Promotions (tests/web/promotions/walk_data.py): the Promotions page and asking for a
    # conversation for everyone on the people list (HR too; IT admins have no person); nominating for
    # the direct manager and HR, never oneself; the packet for the manager chain (two levels), the
    # members of the committee it was submitted to and HR — 404 for the subject, peers, IT admins;
    # endorsing for the skip-level manager; deciding for a committee member who is not the subject's
    # manager at any distance (the skip-level manager sits on it: 403); the queue for committee
    # members and HR; the overview and committees for HR. A POST without the form's fields is 400
    # for those who may post; an empty "save" turns the peer's request into their manager's draft; withdrawing is the nominator's.
    ('promotions:index', 'GET'):                           (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
    ('promotions:index', 'POST'):                          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:request', 'GET'):                         (LOGIN,       OK,          OK,          OK,          OK,          OK,          FORBIDDEN,   OK,          OK),
    ('promotions:request', 'POST'):                        (LOGIN,       400,         400,         400,         400,         400,         FORBIDDEN,   400,         400),
    ('promotions:nominate person_id=employee', 'GET'):     (LOGIN,       FORBIDDEN,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:nominate person_id=employee', 'POST'):    (LOGIN,       FORBIDDEN,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:nominate person_id=manager', 'GET'):      (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('promotions:nominate person_id=manager', 'POST'):     (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND),
    ('promotions:nominate person_id=outsider', 'GET'):     (LOGIN,       NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('promotions:nominate person_id=outsider', 'POST'):    (LOGIN,       NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   NOT_FOUND),
    ('promotions:packet nomination_id=submitted', 'GET'):  (LOGIN,       NOT_FOUND,   OK,          OK,          NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('promotions:packet nomination_id=submitted', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:packet nomination_id=requested', 'GET'):  (LOGIN,       NOT_FOUND,   OK,          NOT_FOUND,   NOT_FOUND,   OK,          NOT_FOUND,   OK,          NOT_FOUND),
    ('promotions:packet nomination_id=requested', 'POST'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:case nomination_id=submitted', 'GET'):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:case nomination_id=submitted', 'POST'):   (LOGIN,       NOT_FOUND,   400,         FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:case nomination_id=requested', 'GET'):    (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:case nomination_id=requested', 'POST'):   (LOGIN,       NOT_FOUND,   Redirect(to='/promotions/{nomination_id}/'), NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:decline nomination_id=submitted', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:decline nomination_id=submitted', 'POST'): (LOGIN,       NOT_FOUND,   400,         FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:decline nomination_id=requested', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:decline nomination_id=requested', 'POST'): (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:withdraw nomination_id=submitted', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:withdraw nomination_id=submitted', 'POST'): (LOGIN,       NOT_FOUND,   400,         FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:withdraw nomination_id=requested', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:withdraw nomination_id=requested', 'POST'): (LOGIN,       NOT_FOUND,   400,         NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:endorse nomination_id=submitted', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:endorse nomination_id=submitted', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   FORBIDDEN,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND),
    ('promotions:endorse nomination_id=requested', 'GET'): (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:endorse nomination_id=requested', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   400,         NOT_FOUND),
    ('promotions:decide nomination_id=submitted', 'GET'):  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:decide nomination_id=submitted', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   400,         NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:decide nomination_id=requested', 'GET'):  (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:decide nomination_id=requested', 'POST'): (LOGIN,       NOT_FOUND,   FORBIDDEN,   NOT_FOUND,   NOT_FOUND,   400,         NOT_FOUND,   FORBIDDEN,   NOT_FOUND),
    ('promotions:queue', 'GET'):                           (LOGIN,       FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN,   OK,          FORBIDDEN),
    ('promotions:queue', 'POST'):                          (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:overview', 'GET'):                        (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('promotions:overview', 'POST'):                       (LOGIN,       NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ('promotions:committees', 'GET'):                      (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('promotions:committees', 'POST'):                     (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('promotions:committee committee_id=engineering', 'GET'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   OK,          FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
    ('promotions:committee committee_id=engineering', 'POST'): (LOGIN,       FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   FORBIDDEN,   400,         FORBIDDEN,   FORBIDDEN,   FORBIDDEN),
}
# fmt: on

#: Values of each path parameter, by variant name. A parameter not listed here fails the walk.
PARAMETERS: dict[str, dict[str, Callable[[dict[str, Any]], str]]] = {
    # The subject of the walk is the employee: "manager" manages them, and is the manager persona.
    "person_id": {
        "employee": lambda company: str(company["employee"].person.pk),
        "manager": lambda company: str(company["manager"].person.pk),
        "outsider": lambda company: str(company["outsider"].person.pk),
    },
    # An account to deactivate: the employee's.
    "user_id": {"employee": lambda company: str(company["employee"].pk)},
    # A file of past ratings HR uploaded and checked (tests/web/reviews/walk_data.py).
    "import_id": {"checked": lambda company: str(company["rating_import"].pk)},
    # Password reset and invitation links: the employee's account, with a token that is not valid.
    "uidb64": {"employee": lambda company: urlsafe_base64_encode(force_bytes(company["employee"].pk))},
    "token": {"invalid": lambda company: "invalid-token"},
    # The co-author edits Engineering and not Product.
    "family_id": {
        "engineering": lambda company: "engineering",
        "product": lambda company: "product",
    },
    "track_id": {"ic": lambda company: "ic"},
    "level_code": {"IC2": lambda company: "IC2"},
    "code": {"IC2": lambda company: "IC2"},
    "from_level": {"IC2": lambda company: "IC2"},
    "to_level": {"IC3": lambda company: "IC3"},
    # A core competency (every family has it) and one of Engineering's own.
    "competency_id": {
        "communication": lambda company: "communication",
        "system_design": lambda company: "system_design",
    },
    # The first lateral path of the framework.
    "index": {"0": lambda company: "0"},
    # Version 1, the only published one.
    "number": {"1": lambda company: "1"},
    "fmt": {"yaml": lambda company: "yaml"},
    # The skills heatmap's files.
    "file_format": {"csv": lambda company: "csv", "xlsx": lambda company: "xlsx"},
    # Review cycles: the walk's open cycle; the employee's participation (their manager assesses them)
    # and the manager's (assessed by the skip-level manager); the self and manager forms.
    "cycle_id": {"open": lambda company: str(company["cycle"].pk)},
    "participant_id": {
        "employee": lambda company: str(company["employee_participant"].pk),
        "manager": lambda company: str(company["manager_participant"].pk),
    },
    "source": {"self": lambda company: "self", "manager": lambda company: "manager"},
    # The employee's nomination, submitted to the Engineering committee; the peer's request for a
    # promotion conversation (tests/web/promotions/walk_data.py).
    "nomination_id": {
        "submitted": lambda company: str(company["nomination_submitted"].pk),
        "requested": lambda company: str(company["nomination_requested"].pk),
    },
    "committee_id": {"engineering": lambda company: str(company["promotion_committee"].pk)},
    # An import HR has uploaded and not yet previewed.
    "job_id": {"uploaded": lambda company: str(company["import_job"].pk)},
    # The calibration group of reviews/walk_data.py: the two managers (the manager, a member, is
    # calibrated in it too).
    "group_id": {"managers": lambda company: str(company["calibration_group"].pk)},
    # The peer's answer on the employee, begun.
    "assessment_id": {"peer": lambda company: str(company["peer_assessment"].pk)},
    # The co-author, proposed by the employee as a peer, not yet decided.
    "peer_nomination_id": {"proposed": lambda company: str(company["proposed_nomination"].pk)},
    # 1:1s (tests/web/growth/walk_one_on_ones.py): the employee's with the manager, and the
    # manager's with the skip-level manager.
    "one_on_one_id": {
        "employee": lambda company: str(company["one_on_one_employee"].pk),
        "manager": lambda company: str(company["one_on_one_manager"].pk),
    },
    # An open gig of the other manager's and a draft role of the manager's; the employee's
    # application to the gig, hidden from their manager (tests/web/mobility/walk_data.py).
    "opportunity_id": {
        "open": lambda company: str(company["opportunity_open"].pk),
        "draft": lambda company: str(company["opportunity_draft"].pk),
    },
    "application_id": {"hidden": lambda company: str(company["application_hidden"].pk)},
    # A notification sent to the employee.
    "notification_id": {"employee": lambda company: str(company["notification"].pk)},
    # The employee's development plan: its goal and that goal's action; the OKR tree's manager's
    # team objective and the employee's personal one, the company's key result and the employee's
    # (tests/web/growth/walk_plans.py).
    "goal_id": {"employee": lambda company: str(company["plan_goal"].pk)},
    "action_id": {"employee": lambda company: str(company["plan_action"].pk)},
    "objective_id": {
        "team": lambda company: str(company["objective_team"].pk),
        "personal": lambda company: str(company["objective_personal"].pk),
    },
    "key_result_id": {
        "company": lambda company: str(company["key_result_company"].pk),
        "personal": lambda company: str(company["key_result_personal"].pk),
    },
}

STATIC_FILE = "/static/trellis/app.css"


@dataclass(frozen=True)
class Route:
    """One URL to request: a named pattern with one variant of each of its path parameters."""

    key: str
    path: str
    #: The path parameters' values, so that a redirect to another page of the same object can be
    #: written in the table with placeholders: ``Redirect("/people/import/{job_id}/columns/")``.
    kwargs: dict[str, str] = field(default_factory=dict)


def _patterns(
    resolver: URLResolver, namespace: str = "", parameters: tuple[str, ...] = ()
) -> Iterator[tuple[str | None, tuple[str, ...], str]]:
    """(qualified name, path parameter names, pattern text) of every pattern, through includes."""
    for entry in resolver.url_patterns:
        entry_parameters = parameters + tuple(_parameter_names(entry))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _patterns(entry, inner, entry_parameters)
        elif isinstance(entry, URLPattern):
            name = None
            if entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry_parameters, str(entry.pattern)


def _parameter_names(entry: URLPattern | URLResolver) -> list[str]:
    pattern = entry.pattern
    converters = getattr(pattern, "converters", None)
    if converters:
        return list(converters)
    return list(pattern.regex.groupindex)


def namespace_of(name: str) -> str:
    """The URL namespace of a route's name ("" for the root URLconf's own names and static files)."""
    return name.split(" ")[0].rpartition(":")[0]


#: Every namespace the app serves, read from the resolver when the tests are collected: each one is
#: walked by a test of its own (so that test workers share the walk), and a new one gets a test.
NAMESPACES = sorted({""} | {namespace_of(name or "") for name, _, _ in _patterns(get_resolver())})


def routes(company: dict[str, Any]) -> tuple[list[Route], list[tuple[str, str]]]:
    """Every route to walk, and (namespace, problem) for each URL that cannot be walked at all."""
    found: list[Route] = [Route("static", STATIC_FILE)]
    problems: list[tuple[str, str]] = []
    for name, parameter_names, pattern in _patterns(get_resolver()):
        if name is None:
            problems.append(
                ("", f"the URL pattern {pattern!r} has no name: name it so the table can list it")
            )
            continue
        unknown = [parameter for parameter in parameter_names if parameter not in PARAMETERS]
        if unknown:
            problems.append(
                (
                    namespace_of(name),
                    f"{name}: no value for the path parameter(s) {', '.join(unknown)}: add them to PARAMETERS",
                )
            )
            continue
        variants = [list(PARAMETERS[parameter].items()) for parameter in parameter_names]
        for combination in itertools.product(*variants):
            kwargs = {
                parameter: make(company)
                for parameter, (_, make) in zip(parameter_names, combination, strict=True)
            }
            suffix = " ".join(
                f"{parameter}={variant}"
                for parameter, (variant, _) in zip(parameter_names, combination, strict=True)
            )
            found.append(Route(f"{name} {suffix}" if suffix else name, reverse(name, kwargs=kwargs), kwargs))
    return found, problems


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Every table's row count and a checksum of its rows (order-independent)."""
    snapshot = {}
    with connection.cursor() as cursor:
        tables = sorted(connection.introspection.table_names(cursor, include_views=False))
        if connection.vendor == "postgresql":
            # The server hashes its own rows: one round trip instead of shipping every row here.
            cursor.execute(
                " UNION ALL ".join(
                    f"SELECT %s, count(*), md5(coalesce(string_agg(row_text, E'\\n' ORDER BY row_text), '')) "
                    f"FROM (SELECT t::text AS row_text FROM {connection.ops.quote_name(table)} t) rows"
                    for table in tables
                ),
                tables,
            )
            return {table: (count, digest) for table, count, digest in cursor.fetchall()}
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(tuple(_plain(value) for value in row)) for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            snapshot[table] = (len(rows), digest)
    return snapshot


def _plain(value: Any) -> Any:
    # memoryview's repr names its address, which differs between two reads of the same bytes.
    return bytes(value) if isinstance(value, memoryview) else value


def _answer(response: Any, route: Route) -> Expected:
    if response.status_code in (301, 302):
        location = response["Location"]
        login = reverse(settings.LOGIN_URL)
        if location == f"{login}?next={quote(route.path, safe='/')}":
            return LOGIN
        for parameter, value in route.kwargs.items():
            location = location.replace(f"/{value}/", f"/{{{parameter}}}/")
        return Redirect(location)
    return int(response.status_code)


def response_text(response: Any) -> str:
    """Everything a response sends, as text: a streamed body joined, an XLSX file unzipped."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


#: The private notes of the walk's 1:1 (tests/web/growth/walk_one_on_ones.py), by marker: their author.
PRIVATE_NOTES = {MANAGER_PRIVATE_MARKER: "manager", EMPLOYEE_PRIVATE_MARKER: "employee"}


def _is_refusal(expected: Expected | None) -> bool:
    return expected == LOGIN or expected in (FORBIDDEN, NOT_FOUND, NOT_ALLOWED)


def _row_text(route: str, method: str, answers: dict[str, Expected]) -> str:
    def show(answer: Expected) -> str:
        names = {LOGIN: "LOGIN", HOME: "HOME", SIGNED_OUT: "SIGNED_OUT", INVITATIONS: "INVITATIONS", OK: "OK",
                 FORBIDDEN: "FORBIDDEN", NOT_FOUND: "NOT_FOUND", NOT_ALLOWED: "NOT_ALLOWED"}  # fmt: skip
        return names.get(answer, repr(answer))

    cells = " ".join(f"{show(answers[actor]) + ',':<12}" for actor in ACTORS).rstrip(", ")
    return f"    {repr((route, method)) + ':':<54} ({cells}),"


def _uploaded_import(hr_admin: User) -> Any:
    from trellis.web.people.import_services import import_job_create

    export = b"Employee ID,E-mail,Full name,Job family,Level\r\nE100,new@example.com,New Person,engineering,IC1\r\n"
    return import_job_create(actor=hr_admin, file_name="people.csv", data=export)


@pytest.fixture
def _static_files_from_the_source(settings: Any) -> None:
    # Production serves what `collectstatic` wrote; the test serves the source files instead.
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def company(personas: dict[str, User], published_framework: FrameworkVersion) -> dict[str, Any]:
    """The personas, version 1 of the framework, and an import HR has uploaded."""
    deactivated = User.objects.create_user(
        "former.admin@example.com",
        "a long password 1",
        full_name="Former Admin",
        is_hr_admin=True,
        is_it_admin=True,
    )
    peer = make_user("peer@example.com", "Pia Peer")
    make_person(
        peer,
        employee_id="E007",
        full_name="Pia Peer",
        level_code="IC2",
        manager=personas["manager"].person,
        team=personas["employee"].person.team,
    )
    people = {**personas, "skip_level": personas["skip_level_manager"], "peer": peer}
    return {
        **people,
        **review_scenario(people),
        **promotion_scenario(people),
        **one_on_one_scenario(people),
        **plan_scenario(people),
        **mobility_scenario(people),
        "deactivated": deactivated,
        "import_job": _uploaded_import(personas["hr_admin"]),
    }


@pytest.mark.parametrize("namespace", NAMESPACES, ids=lambda namespace: namespace or "root")
def test_every_url_answers_every_actor_as_the_table_says(
    namespace: str, company: dict[str, Any], _static_files_from_the_source: None
) -> None:
    found, all_problems = routes(company)
    found = [route for route in found if namespace_of(route.key) == namespace]
    problems = [problem for problem_namespace, problem in all_problems if problem_namespace == namespace]

    # Each actor's session is made once; each request is sent with that cookie alone. One client per
    # actor, because a client builds the whole middleware stack on its first request.
    clients = {actor: HttpsClient(raise_request_exception=False) for actor in WALKED_ACTORS}
    sessions: dict[str, str | None] = {"anonymous": None}
    for actor in WALKED_ACTORS[1:]:
        signed_in = HttpsClient()
        signed_in.force_login(company[actor])
        sessions[actor] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    # Switched off behind the app's back: the session row stays, so only the check at each request
    # stands between the cookie and the pages.
    # (An inactive account holds no admin flag: the database refuses it.)
    User.objects.filter(pk=company["deactivated"].pk).update(
        is_active=False, is_hr_admin=False, is_it_admin=False
    )
    FamilyCoauthor.objects.create(user=company["deactivated"], family_id="engineering")

    mismatches: list[str] = []
    unlisted: list[str] = []
    checked = 0
    # A private note is read by its author on its meeting's pages, by nobody anywhere else.
    meeting = f"/growth/one-on-ones/{company['one_on_one_employee'].pk}/"
    private_shown: set[str] = set()
    before = database_snapshot()
    for route in found:
        for method in METHODS:
            if route.key == "static" and method == "POST":
                continue
            expected_row = EXPECTED.get((route.key, method))
            answers: dict[str, Expected] = {}
            for actor in WALKED_ACTORS:
                client = clients[actor]
                # Only the actor's session cookie, whatever the previous response set or deleted.
                client.cookies = SimpleCookie()
                if sessions[actor] is not None:
                    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
                column = ACTORS.index(ANSWERED_AS.get(actor, actor))
                expected = expected_row[column] if expected_row is not None else None
                with transaction.atomic():
                    response = client.generic(method, route.path)
                    answer = _answer(response, route)
                    body = response_text(response)
                    for marker, author in PRIVATE_NOTES.items():
                        if marker not in body:
                            continue
                        if actor == author and route.path.startswith(meeting):
                            private_shown.add(author)
                        else:
                            mismatches.append(
                                f"{route.key} {method} as {actor} ({route.path}) shows {author}'s private note"
                            )
                    # Every request starts from `before` (the previous one was rolled back), so one
                    # snapshot after each refusal, taken before its rollback, says what it changed.
                    refused = _is_refusal(answer) or _is_refusal(expected)
                    after = database_snapshot() if refused else before
                    transaction.set_rollback(True)
                answers[actor] = answer
                if expected is None:
                    continue
                checked += 1
                if answer != expected:
                    mismatches.append(
                        f"{route.key} {method} as {actor} ({route.path}): expected {expected!r}, got {answer!r}"
                    )
                changed = sorted(set(before) ^ set(after) | {t for t in before if before[t] != after.get(t)})
                if changed:
                    mismatches.append(
                        f"{route.key} {method} as {actor} was refused but changed: {', '.join(changed)}"
                    )
            if expected_row is None:
                unlisted.append(_row_text(route.key, method, answers))

    walked = {route.key for route in found}
    listed = len(WALKED_ACTORS) * sum(1 for key, _ in EXPECTED if key in walked)
    print(
        f"\nauthorization walk of {namespace or 'the root URLs'}: {len(walked)} routes × {len(WALKED_ACTORS)} "
        f"actors × GET/POST = {checked} requests checked"
    )
    report = []
    if problems:
        report.append("URLs that cannot be walked:\n  " + "\n  ".join(problems))
    if unlisted:
        report.append(
            "URLs the table does not list (each row shows what they answer now; check it against the "
            "policy before adding it to EXPECTED):\n" + "\n".join(unlisted)
        )
    if mismatches:
        report.append("answers that differ from the table:\n  " + "\n  ".join(mismatches))
    assert not report, "\n\n".join(report)
    assert checked == listed > 0
    if namespace == "growth":  # the check above could fail: each author does read their own note
        assert private_shown == set(PRIVATE_NOTES.values())


def test_the_table_has_no_row_for_a_url_the_app_does_not_serve(company: dict[str, Any]) -> None:
    served = {route.key for route in routes(company)[0]}
    assert sorted(key for key, _ in EXPECTED if key not in served) == []


def test_the_snapshot_sees_a_changed_row_and_a_new_one(personas: dict[str, User]) -> None:
    """The walk's "nothing changed" rests on this: same counts but one edited value still differ."""
    before = database_snapshot()
    User.objects.filter(pk=personas["employee"].pk).update(full_name="Someone Else")
    edited = database_snapshot()
    assert [table for table in before if before[table] != edited[table]] == ["accounts_user"]
    assert edited["accounts_user"][0] == before["accounts_user"][0]
    User.objects.create_user("new@example.com", "a long password 1", full_name="New")
    added = database_snapshot()
    assert added["accounts_user"][0] == before["accounts_user"][0] + 1
