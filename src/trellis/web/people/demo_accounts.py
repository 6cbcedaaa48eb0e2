"""The demo company's accounts: every active person of Northwind Labs signs in with the one demo
password (hashed once, written with ``bulk_create``), and five of them are personas to try —
listed in `PERSONAS`, which the README and `trellis demo` repeat. `complete_accounts` is idempotent:
it only adds what is missing, so `trellis.web.people.demo.load_demo` can run it on every start.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from trellis.web.accounts.models import User
from trellis.web.frameworks.services import family_coauthor_add
from trellis.web.people.models import Person

COMPANY_DOMAIN = "northwind.example"
DEMO_PASSWORD = "northwind"
HR_EMAIL = f"hr@{COMPANY_DOMAIN}"
MANAGER_EMAIL = f"manager@{COMPANY_DOMAIN}"
EMPLOYEE_EMAIL = f"employee@{COMPANY_DOMAIN}"
IT_ADMIN_EMAIL = f"it@{COMPANY_DOMAIN}"
COAUTHOR_EMAIL = f"coauthor@{COMPANY_DOMAIN}"
#: The personas' logins, with who they are (the README and `trellis demo` list them in this order).
PERSONAS = (
    (HR_EMAIL, "Head of People and HR admin"),
    (MANAGER_EMAIL, "engineering manager with reports, co-author of Engineering"),
    (EMPLOYEE_EMAIL, "engineer on that manager's team"),
    (IT_ADMIN_EMAIL, "engineer on another team, IT admin"),
    (COAUTHOR_EMAIL, "senior product manager without reports, co-author of Product"),
)

_BATCH_SIZE = 1_000


def _persona_candidate(family_id: str, *, most_senior: bool) -> Person | None:
    """An active IC of `family_id` without an account or reports, not on the manager persona's
    team and not a persona already: the most senior one (the demo's level codes, IC1-IC6, sort by
    seniority) or the first by employee id, so a company of a given size always gets the same one."""
    order = ("-level_code", "employee_id") if most_senior else ("employee_id",)
    return (
        Person.objects.filter(
            is_active=True, user__isnull=True, reports__isnull=True, family_id=family_id, track_id="ic"
        )
        .exclude(email__in=[email for email, _ in PERSONAS])
        .exclude(manager__email=MANAGER_EMAIL)
        .order_by(*order)
        .first()
    )


def complete_accounts(hr: User, password: str | None) -> int:
    """Give the demo what it lacks: the IT admin and the co-author who is not a manager (a person
    of the company takes the persona's address), then an account for every active person without
    one, all with `password` (the demo password hashed once; hashed here when None and needed);
    the roles of personas whose account is new.
    Returns how many accounts were created."""
    missing_personas = set(
        {email for email, _ in PERSONAS}
        - set(User.objects.filter(email__in=[email for email, _ in PERSONAS]).values_list("email", flat=True))
    )
    for email, family_id, most_senior in (
        (IT_ADMIN_EMAIL, "engineering", False),
        (COAUTHOR_EMAIL, "product", True),
    ):
        if email in missing_personas and not Person.objects.filter(email=email).exists():
            person = _persona_candidate(family_id, most_senior=most_senior)
            if person is not None:
                Person.objects.filter(pk=person.pk).update(email=email)

    taken = set(User.objects.values_list("email", flat=True))
    people = [
        person
        for person in Person.objects.filter(is_active=True, user__isnull=True).only(
            "pk", "email", "full_name"
        )
        if person.email and person.email.lower() not in taken
    ]
    if not people:
        return 0
    if password is None:
        password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                email=person.email.lower(),
                full_name=person.full_name,
                password=password,
                is_it_admin=person.email.lower() == IT_ADMIN_EMAIL,
            )
            for person in people
        ],
        batch_size=_BATCH_SIZE,
    )
    ids = dict(User.objects.values_list("email", "pk"))
    for person in people:
        person.user_id = ids[person.email.lower()]
    Person.objects.bulk_update(people, ["user"], batch_size=_BATCH_SIZE)

    for email, family_id in ((MANAGER_EMAIL, "engineering"), (COAUTHOR_EMAIL, "product")):
        if email in missing_personas and email in ids:
            family_coauthor_add(actor=hr, user=User.objects.get(pk=ids[email]), family_id=family_id)
    return len(people)
