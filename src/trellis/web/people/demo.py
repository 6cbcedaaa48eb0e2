"""The demo company, Northwind Labs: a B2B SaaS company in three clusters — product, go-to-market
(marketing and sales) and engineering — with a small people team, built on the starter library's
growth-stage framework: a dual track in every family, IC and management equal in grade and status.

The chief executive leads a vice-president per cluster (engineering, product, go-to-market; the
head of marketing reports to the go-to-market lead) and the head of people. `load_demo()` fills an
empty database with the published framework, the company's people (50 by default, any size for
performance work), their teams, reporting lines and some level history, and an account for every
person (password ``northwind``, demo data only). Five of them are the personas to try, each a
person of the company:

- ``hr@northwind.example``: Hannah Okafor, head of people (people management track, reporting to
  the chief executive), HR admin;
- ``manager@northwind.example``: an engineering manager with reports, co-author of Engineering;
- ``employee@northwind.example``: an engineer on that manager's team;
- ``it@northwind.example``: an engineer on another team, IT admin (accounts, audit log);
- ``coauthor@northwind.example``: a senior product manager without reports, co-author of Product.

Everyone else signs in with their own address (``first.last@northwind.example``).

Everything is generated from a fixed seed, so the same size gives the same company (dates are
relative to today). Rows are written with ``bulk_create`` in batches, top of the organisation
first, so 10,000 people load in seconds; the accounts too, with the password hashed once for all;
the framework goes through the services.

Loading again into a database that holds the demo company upgrades it instead (`load_demo` is what
``make run`` calls on every start): nothing is deleted or changed, and only what is missing is
added — an account for each active person without one, and the personas an older demo lacked.
"""

from __future__ import annotations

import datetime
import math
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from trellis.framework.model import Family, Framework, Track, TrackKind
from trellis.framework.templates import starter
from trellis.framework.yaml_io import dumps
from trellis.web.accounts.models import User
from trellis.web.audit.actions import AuditAction
from trellis.web.audit.services import audit_record
from trellis.web.frameworks.models import FrameworkVersion
from trellis.web.frameworks.services import framework_draft_save, framework_publish
from trellis.web.growth.demo_growth import load_demo_growth
from trellis.web.growth.demo_one_on_ones import load_demo_one_on_ones
from trellis.web.mobility.demo_mobility import load_demo_mobility
from trellis.web.people.demo_accounts import (
    COAUTHOR_EMAIL,
    COMPANY_DOMAIN,
    DEMO_PASSWORD,
    EMPLOYEE_EMAIL,
    HR_EMAIL,
    IT_ADMIN_EMAIL,
    MANAGER_EMAIL,
    PERSONAS,
    complete_accounts,
)
from trellis.web.people.models import Person, PersonChange, Team, level_key
from trellis.web.promotions.demo_promotions import load_demo_cases, load_demo_promotions
from trellis.web.reviews.demo_reviews import demo_readiness, holds_demo_reviews, load_demo_reviews

__all__ = [
    "COAUTHOR_EMAIL",
    "COMPANY_DOMAIN",
    "COMPANY_NAME",
    "DEMO_PASSWORD",
    "EMPLOYEE_EMAIL",
    "HR_EMAIL",
    "IT_ADMIN_EMAIL",
    "MANAGER_EMAIL",
    "PERSONAS",
    "DemoError",
    "DemoSummary",
    "holds_demo",
    "load_demo",
]

COMPANY_NAME = "Northwind Labs"
FAMILIES = ("engineering", "product", "marketing", "sales", "people")
HR_FULL_NAME = "Hannah Okafor"
FRAMEWORK_SIZE = "growth"
SEED = 55

#: Share of the company in each family (the chief executive aside). Every family has at least two
#: people; the people team stays near two per hundred employees, as in most companies of this kind.
_FAMILY_SHARES = {"engineering": 0.48, "product": 0.15, "marketing": 0.13, "sales": 0.22, "people": 0.02}
#: The clusters, each led by a vice-president who heads the first family listed; the heads of the
#: other families of the cluster report to them. The people family reports to the chief executive.
_CLUSTERS = {
    "engineering": ("VP of Engineering", ("engineering",)),
    "product": ("VP of Product", ("product",)),
    "go-to-market": ("VP of Go-to-Market", ("sales", "marketing")),
    "people": ("Head of People", ("people",)),
}
#: How many people a line manager typically has, and a manager of managers.
_TEAM_SPAN = 7
_MANAGERS_SPAN = 6
#: A family this small (besides its head) reports to the head directly, without line managers.
_FLAT_FAMILY_LIMIT = 9
#: Relative frequency of IC levels, most junior first: most people sit in the middle of the ladder.
_IC_LEVEL_WEIGHTS = (12, 25, 28, 20, 10, 4, 1)
_BATCH_SIZE = 1_000

_TEAM_NAMES = {
    "engineering": (
        "Platform",
        "Payments",
        "Mobile",
        "Integrations",
        "Reliability",
        "Identity",
        "Search",
        "Data Infrastructure",
        "Developer Experience",
        "Billing",
        "Notifications",
        "Security",
        "Reporting",
        "Public API",
    ),
    "product": ("Core Product", "Growth Product", "Platform Product", "Product Operations"),
    "marketing": ("Brand", "Demand Generation", "Product Marketing", "Content", "Lifecycle Marketing"),
    "sales": ("Enterprise Sales", "Mid-Market Sales", "Sales Development", "Solutions", "Partnerships"),
    "people": (
        "People",
        "Talent Acquisition",
        "People Operations",
        "Learning and Development",
        "Total Rewards",
    ),
}

_FIRST_NAMES = (
    "Aaliyah", "Adebayo", "Aiko", "Alejandro", "Amara", "Amir", "Ana", "Anders", "Anika", "Arjun",
    "Astrid", "Beatriz", "Benjamin", "Bilal", "Camille", "Carlos", "Chen", "Chiara", "Chloe", "Dario",
    "Dmitri", "Elena", "Elif", "Emeka", "Emma", "Erik", "Esther", "Fatima", "Felix", "Freya",
    "Gabriel", "Grace", "Hana", "Hannah", "Hiroshi", "Ibrahim", "Ines", "Ingrid", "Isaac", "Isabel",
    "Jae-won", "James", "Jasmine", "Javier", "Jonas", "Julia", "Kai", "Kavya", "Kenji", "Kofi",
    "Laila", "Lars", "Leila", "Liam", "Lucia", "Luca", "Maya", "Mateo", "Mei", "Miguel",
    "Mina", "Mohammed", "Nadia", "Naomi", "Nikhil", "Nina", "Noah", "Olga", "Omar", "Oscar",
    "Paulo", "Priya", "Rafael", "Rahul", "Rania", "Rosa", "Ruth", "Sakura", "Samuel", "Sara",
    "Sebastian", "Selin", "Siddharth", "Sofia", "Soren", "Tariq", "Thandiwe", "Theo", "Tomás", "Uma",
    "Valentina", "Victor", "Wei", "Xavier", "Yara", "Yusuf", "Zainab", "Zara", "Zoe", "Zofia",
)  # fmt: skip

_LAST_NAMES = (
    "Abara", "Adeyemi", "Ahmed", "Alvarez", "Andersson", "Baptiste", "Becker", "Bianchi", "Brennan", "Castillo",
    "Chatterjee", "Chen", "Costa", "Dahl", "Diallo", "Dubois", "Eriksen", "Fernandes", "Fischer", "Fontaine",
    "Garcia", "Gupta", "Haddad", "Hansen", "Hoffmann", "Horvat", "Ibrahim", "Ito", "Jansen", "Johansson",
    "Kaur", "Kim", "Kowalski", "Kumar", "Larsen", "Lee", "Lindqvist", "Lopez", "Mahlangu", "Martin",
    "Mendes", "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Nowak", "Obi", "Okafor", "Oliveira",
    "Osei", "Park", "Patel", "Pereira", "Petrov", "Quinn", "Rahman", "Ramos", "Rao", "Reyes",
    "Richter", "Rossi", "Sato", "Schmidt", "Silva", "Singh", "Sokolov", "Suzuki", "Tanaka", "Taylor",
    "Torres", "Tran", "Tshabalala", "Ueda", "Van Dijk", "Varga", "Vasquez", "Wagner", "Walsh", "Wang",
    "Weber", "Wiśniewski", "Xu", "Yamamoto", "Yilmaz", "Yoon", "Zhang", "Zhou", "Zielinski", "Zubair",
)  # fmt: skip


class DemoError(Exception):
    """The demo cannot be loaded here (the database is not empty); the message says why."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    people: int
    teams: int
    managers: int
    framework_version: int
    #: Accounts created by this load (every active person's on a first load).
    accounts_created: int = 0
    #: Review cycles and ratings this load wrote (an upgrade writes them only for a demo without any).
    review_cycles: int = 0
    ratings: int = 0
    #: Whether the database already held the demo company, which this load completed.
    upgraded: bool = False

    def __str__(self) -> str:
        if self.upgraded:
            return (
                f"{COMPANY_NAME} was already here ({self.people} people, framework version "
                f"{self.framework_version}); {self.accounts_created} missing accounts added"
                + (
                    f", {self.review_cycles} review cycles with {self.ratings} ratings"
                    if self.review_cycles
                    else ""
                )
                + ", nothing else changed"
            )
        return (
            f"{COMPANY_NAME}: {self.people} people in {self.teams} teams, {self.managers} managers, "
            f"framework version {self.framework_version}, {self.accounts_created} accounts, "
            f"{self.review_cycles} review cycles with {self.ratings} ratings"
        )


@dataclass(slots=True)
class _Node:
    """One person of the organisation being generated, before it is written."""

    family: Family
    track: Track
    level_index: int
    manager: _Node | None
    depth: int
    team_name: str | None = None
    title: str = ""
    login: str | None = None
    reports: list[_Node] = field(default_factory=list)
    person: Person | None = None


def _ic_track(family: Family) -> Track:
    for track in family.tracks:
        if track.kind is TrackKind.IC:
            return track
    return family.tracks[0]


def _management_track(family: Family) -> Track:
    for track in family.tracks:
        if track.kind is TrackKind.MANAGEMENT:
            return track
    return _ic_track(family)


def _split(total: int, shares: dict[str, float]) -> dict[str, int]:
    """`total` divided by `shares`, in whole people, by largest remainder (every family gets two;
    a family raised to two takes no share of the remainder)."""
    raw = {key: total * share for key, share in shares.items()}
    counts = {key: max(2, math.floor(value)) for key, value in raw.items()}
    by_remainder = sorted(
        (key for key in raw if counts[key] == math.floor(raw[key])),
        key=lambda key: raw[key] - math.floor(raw[key]),
        reverse=True,
    )
    position = 0
    while sum(counts.values()) < total:
        counts[by_remainder[position % len(by_remainder)]] += 1
        position += 1
    while sum(counts.values()) > total:
        largest = max(counts, key=lambda key: counts[key])
        counts[largest] -= 1
    return counts


class _TeamNamer:
    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    def next(self, family_id: str) -> str:
        names = _TEAM_NAMES[family_id]
        count = self.used.get(family_id, 0)
        self.used[family_id] = count + 1
        name = names[count % len(names)]
        round_ = count // len(names)
        return name if round_ == 0 else f"{name} {round_ + 1}"


def _attach(child: _Node, manager: _Node) -> None:
    child.manager = manager
    child.depth = manager.depth + 1
    manager.reports.append(child)


def _build_family(
    family: Family,
    size: int,
    head_of: _Node,
    rng: random.Random,
    teams: _TeamNamer,
    *,
    head_title: str | None = None,
    head_below_top: int = 0,
) -> list[_Node]:
    """The `size` people of one family: a head reporting to `head_of` (titled `head_title`, at the
    top management level less `head_below_top`), managers, and ICs."""
    ic_track = _ic_track(family)
    management = _management_track(family)
    top = len(management.levels) - 1
    head = _Node(
        family=family, track=management, level_index=max(0, top - head_below_top), manager=None, depth=0
    )
    head.title = head_title or f"Head of {family.name}"
    _attach(head, head_of)
    nodes = [head]
    rest = size - 1

    # Managers layer by layer, bottom up: line managers, then managers of managers while the layer
    # above would still be wider than one manager can lead.
    layers: list[int] = []
    if rest > _FLAT_FAMILY_LIMIT:
        line_managers = math.ceil(rest / (_TEAM_SPAN + 1))
        layers.append(line_managers)
        while layers[-1] > _TEAM_SPAN:
            layers.append(math.ceil(layers[-1] / _MANAGERS_SPAN))
    individual_contributors = rest - sum(layers)

    above: list[_Node] = [head]
    for height, count in reversed(list(enumerate(layers))):
        layer: list[_Node] = []
        for index in range(count):
            # Most line managers are at the first management level, some a level up; managers of
            # managers one level per layer, below the head.
            level_index = min(top, 1 if rng.random() < 0.3 else 0) if height == 0 else min(top - 1, height)
            node = _Node(family=family, track=management, level_index=level_index, manager=None, depth=0)
            node.title = management.levels[level_index].title
            _attach(node, above[index % len(above)])
            layer.append(node)
        nodes.extend(layer)
        above = layer
    if not layers:
        head.team_name = teams.next(family.id)

    ic_levels = len(ic_track.levels)
    weights = list(_IC_LEVEL_WEIGHTS[:ic_levels]) + [1] * max(0, ic_levels - len(_IC_LEVEL_WEIGHTS))
    line_managers_nodes = above if layers else [head]
    for line_manager in line_managers_nodes:
        if line_manager.team_name is None:
            line_manager.team_name = teams.next(family.id)
    for index in range(individual_contributors):
        level_index = rng.choices(range(ic_levels), weights=weights)[0]
        node = _Node(family=family, track=ic_track, level_index=level_index, manager=None, depth=0)
        node.title = ic_track.levels[level_index].title
        manager = line_managers_nodes[index % len(line_managers_nodes)]
        node.team_name = manager.team_name
        _attach(node, manager)
        nodes.append(node)
    return nodes


def _organisation(framework: Framework, employees: int, rng: random.Random) -> list[_Node]:
    """Everyone, the chief executive first; reporting lines form a tree by construction."""
    families = {family.id: family for family in framework.families}
    ceo_family = families["product"]
    ceo_track = _management_track(ceo_family)
    ceo = _Node(
        family=ceo_family, track=ceo_track, level_index=len(ceo_track.levels) - 1, manager=None, depth=0
    )
    ceo.title = "Chief Executive Officer"
    ceo.team_name = "Leadership"
    teams = _TeamNamer()
    nodes = [ceo]
    sizes = _split(employees - 1, _FAMILY_SHARES)
    for lead_title, family_ids in _CLUSTERS.values():
        lead_family, *other_families = family_ids
        cluster = _build_family(
            families[lead_family], sizes[lead_family], ceo, rng, teams, head_title=lead_title
        )
        nodes.extend(cluster)
        for family_id in other_families:
            # A family inside a cluster is led one level below the cluster's vice-president.
            nodes.extend(
                _build_family(families[family_id], sizes[family_id], cluster[0], rng, teams, head_below_top=1)
            )
    for node in nodes:
        # The chief executive's reports who lead through managers sit on the leadership team.
        if node.manager is ceo and node.team_name is None:
            node.team_name = ceo.team_name
    return nodes


def _choose_demo_logins(nodes: list[_Node]) -> None:
    """The manager login: the first engineering line manager (the head of engineering in a company
    too small to have one); the employee login: the first engineer on their team, kept at a level
    with a next level so "what the next level asks" has something to show."""
    engineering = [n for n in nodes if n.family.id == "engineering"]
    line_managers = [
        n
        for n in engineering
        if n.reports and all(not r.reports for r in n.reports) and n.manager is not None
    ]
    manager = line_managers[0] if line_managers else engineering[0]
    manager.login = MANAGER_EMAIL
    employee = next(r for r in manager.reports if r.track.kind is TrackKind.IC)
    employee.level_index = min(max(employee.level_index, 1), len(employee.track.levels) - 2)
    employee.title = employee.track.levels[employee.level_index].title
    employee.login = EMPLOYEE_EMAIL
    head_of_people = next(
        n for n in nodes if n.family.id == "people" and n.manager is not None and n.manager.manager is None
    )
    head_of_people.login = HR_EMAIL


def _full_names(rng: random.Random) -> Iterator[str]:
    """Names for everyone, in a shuffled order: no first name repeats before all have been used,
    and no full name repeats within the first 9,000 (then pairs come round again)."""
    first_names = list(_FIRST_NAMES)
    last_names = list(_LAST_NAMES)
    rng.shuffle(first_names)
    rng.shuffle(last_names)
    index = 0
    while True:
        # Stepping the surname one further on every round of first names gives each round new pairs.
        first = first_names[index % len(first_names)]
        last = last_names[(index + index // len(first_names)) % len(last_names)]
        index += 1
        if f"{first} {last}" != HR_FULL_NAME:
            yield f"{first} {last}"


def _email_for(full_name: str, used: set[str]) -> str:
    """``first.last@northwind.example`` in plain ASCII, numbered when the name is taken."""
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode("ascii")
    local = ".".join(
        "".join(ch for ch in part.lower() if ch.isalnum() or ch == "-") for part in ascii_name.split()
    )
    candidate = f"{local}@{COMPANY_DOMAIN}"
    number = 2
    while candidate in used:
        candidate = f"{local}{number}@{COMPANY_DOMAIN}"
        number += 1
    used.add(candidate)
    return candidate


def _check_empty() -> None:
    people = Person.objects.count()
    if people:
        raise DemoError(
            f"the database already holds {people} people; the demo company loads into an empty "
            "database (use a fresh TRELLIS_DATA_DIR or DATABASE_URL)"
        )
    if FrameworkVersion.objects.exists():
        raise DemoError("a framework is already published here; the demo loads into an empty database")
    taken = list(
        User.objects.filter(email__in=[HR_EMAIL, MANAGER_EMAIL, EMPLOYEE_EMAIL]).values_list(
            "email", flat=True
        )
    )
    if taken:
        raise DemoError(f"the demo accounts already exist: {', '.join(sorted(taken))}")


def _demo_administrator() -> User | None:
    """The demo's HR admin when this database holds the demo company (their account is a person's)."""
    return User.objects.filter(email=HR_EMAIL, is_hr_admin=True, person__isnull=False).first()


def holds_demo() -> bool:
    """Whether this database holds the demo company, which `load_demo` would complete."""
    return _demo_administrator() is not None


@transaction.atomic
def load_demo(*, employees: int = 50) -> DemoSummary:
    """Fill an empty database with Northwind Labs at `employees` people (at least 10), every one
    with an account; on a database that already holds the demo company, add only what is missing
    (`employees` is then ignored): see the module's docstring.

    Raises DemoError, writing nothing, when the database holds people, a published framework or
    the demo accounts but not the demo company; ValueError for fewer than 10 employees.
    """
    if employees < 10:
        raise ValueError("the demo company needs at least 10 employees")
    administrator = _demo_administrator()
    if administrator is not None:
        return _upgrade(administrator)
    _check_empty()
    rng = random.Random(SEED)
    today = timezone.localdate()
    # Hashing costs about half a second with the production hasher: once for every account.
    password = make_password(DEMO_PASSWORD)
    hr = User.objects.create(email=HR_EMAIL, password=password, full_name=HR_FULL_NAME, is_hr_admin=True)
    framework = starter(list(FAMILIES), FRAMEWORK_SIZE, name=COMPANY_NAME)
    framework = framework.model_copy(
        update={
            "description": "How people grow at Northwind Labs: one ladder per family, IC and management equal."
        }
    )
    framework_draft_save(actor=hr, yaml_text=dumps(framework), expected_revision=None)
    version = framework_publish(actor=hr)

    nodes = _organisation(framework, employees, rng)
    _choose_demo_logins(nodes)

    team_names = sorted({n.team_name for n in nodes if n.team_name is not None})
    Team.objects.bulk_create([Team(name=name) for name in team_names], batch_size=_BATCH_SIZE)
    team_ids = dict(Team.objects.values_list("name", "id"))

    used_emails = {email for email, _ in PERSONAS}
    width = max(4, len(str(employees)))
    changes: list[PersonChange] = []
    founded = today - datetime.timedelta(days=7 * 365)
    names = _full_names(rng)
    for index, node in enumerate(sorted(nodes, key=lambda n: n.depth)):
        full_name = next(names)
        if node.login == HR_EMAIL:
            full_name = HR_FULL_NAME  # the account was made first: it publishes the framework
        email = node.login or _email_for(full_name, used_emails)
        # Leaders joined early; everyone else at some point since the company was founded.
        tenure_days = rng.randint(900, 7 * 365) if node.depth <= 1 else rng.randint(45, 6 * 365)
        hired_on = max(founded, today - datetime.timedelta(days=tenure_days))
        days_employed = (today - hired_on).days
        level_since = today - datetime.timedelta(days=rng.randint(14, max(14, min(days_employed, 3 * 365))))
        level_since = max(level_since, hired_on)
        level = node.track.levels[node.level_index]
        node.person = Person(
            employee_id=f"NW{index + 1:0{width}d}",
            email=email,
            full_name=full_name,
            title=node.title or level.title,
            team_id=team_ids.get(node.team_name) if node.team_name else None,
            family_id=node.family.id,
            track_id=node.track.id,
            level_code=level.code,
            level_since=level_since,
            hired_on=hired_on,
            user=hr if node.login == HR_EMAIL else None,
        )
    for depth in sorted({n.depth for n in nodes}):
        layer = [n for n in nodes if n.depth == depth]
        for node in layer:
            assert node.person is not None
            if node.manager is not None:
                assert node.manager.person is not None
                node.person.manager_id = node.manager.person.pk
        Person.objects.bulk_create([n.person for n in layer if n.person is not None], batch_size=_BATCH_SIZE)

    # A promotion on the record of people who have been at their level for less time than with us.
    for node in nodes:
        person = node.person
        assert person is not None
        if node.level_index > 0 and person.hired_on is not None and person.level_since > person.hired_on:
            previous = node.track.levels[node.level_index - 1].code
            changes.append(
                PersonChange(
                    person=person,
                    kind=PersonChange.Kind.LEVEL,
                    old_value=level_key(node.family.id, node.track.id, previous),
                    new_value=level_key(node.family.id, node.track.id, person.level_code),
                    changed_at=datetime.datetime.combine(
                        person.level_since, datetime.time(9), tzinfo=datetime.UTC
                    ),
                    changed_by=hr,
                )
            )
    PersonChange.objects.bulk_create(changes, batch_size=_BATCH_SIZE)
    reviews = load_demo_reviews(hr=hr, today=today)
    created = complete_accounts(hr, password)
    demo_readiness(hr=hr)
    load_demo_promotions()
    load_demo_cases(today=today)
    load_demo_growth(today=today)
    load_demo_one_on_ones(today=today)
    load_demo_mobility()
    audit_record(
        actor=hr, action=AuditAction.DEMO_LOADED, target=None, fields=["people", "teams", "accounts"]
    )
    return DemoSummary(
        people=len(nodes),
        teams=len(team_names),
        managers=sum(1 for n in nodes if n.reports),
        framework_version=version.number,
        accounts_created=created + 1,  # and the HR admin's, made first to publish the framework
        review_cycles=reviews.cycles,
        ratings=reviews.ratings,
    )


def _upgrade(hr: User) -> DemoSummary:
    """Complete a demo company loaded earlier (by an older Trellis, or changed since): the missing
    personas and accounts, nothing else."""
    created = complete_accounts(hr, None)
    reviews = None if holds_demo_reviews() else load_demo_reviews(hr=hr)
    if reviews is not None:
        demo_readiness(hr=hr)
    if created or reviews is not None:
        fields = (["accounts"] if created else []) + (["review_cycles"] if reviews is not None else [])
        audit_record(actor=hr, action=AuditAction.DEMO_LOADED, target=None, fields=fields)
    current = FrameworkVersion.objects.filter(is_current=True).values_list("number", flat=True).first()
    return DemoSummary(
        people=Person.objects.count(),
        teams=Team.objects.count(),
        managers=Person.objects.filter(reports__isnull=False).distinct().count(),
        framework_version=current or 0,
        accounts_created=created,
        review_cycles=reviews.cycles if reviews is not None else 0,
        ratings=reviews.ratings if reviews is not None else 0,
        upgraded=True,
    )
