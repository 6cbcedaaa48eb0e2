"""Browser tests: Debian's Chromium, driven by Playwright's sync API, against a live server.

One browser serves the whole session and every test gets a fresh context (its own cookies and
storage). The server is pytest-django's live-server thread, started once per session on plain HTTP,
so the production settings that insist on HTTPS are relaxed for it (cookies without ``Secure`` and
the ``__Host-`` prefix, no redirect to https).

Each test module gets the 50-person demo company, loaded once for the module and flushed after it,
so a module's tests share one database (the flows that write — authoring, publishing, importing —
live in modules of their own). The database is open to the module's tests and to the server thread
for as long as the module runs.

Every step of a flow saves a full-page screenshot under ``var/screenshots/<test name>/NN-step.png``
(the folder is emptied when the test starts). A page that logs an error to the browser console (a
content-security-policy violation, a missing file, a script error) fails the test that opened it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses database access from a
# thread with a running loop unless told that this is deliberate (the test thread waits on the browser
# and never shares a connection with a coroutine).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.conf import settings as django_settings
from django.core.management import call_command
from django.test.utils import override_settings
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from trellis.framework.model import Framework

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Long enough for any page of the app on a busy two-core machine; short enough that a missing link
#: or a page that does not exist yet fails in seconds, not in Playwright's default 30.
STEP_TIMEOUT_MS = 5_000
SCREENSHOTS = Path(django_settings.REPOSITORY_DIR) / "var" / "screenshots"
DEMO_PASSWORD = "northwind"

expect.set_options(timeout=STEP_TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a browser that `playwright install` would download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-system-packages.sh (make install does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGUMENTS)
        yield launched
        launched.close()


#: What the live server changes in the production settings under test: plain HTTP on 127.0.0.1.
_HTTP_SETTINGS = {
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    # Browsers only keep a __Host- cookie that is Secure.
    "SESSION_COOKIE_NAME": "trellis_session",
    "CSRF_COOKIE_NAME": "trellis_csrftoken",
    # Hashing with the production hasher costs about half a second per account.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # Static files come from the app's folders (the server's static handler), not from `collectstatic`.
    "STORAGES": {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}


#: The database the settings name, read before any test database exists: never to be touched here.
_CONFIGURED_DATABASE = str(django_settings.DATABASES["default"]["NAME"])


@pytest.fixture(scope="session")
def test_database(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test database, created here when no test of the session asked pytest-django for one.

    pytest-django only creates it when some collected test uses ``db`` or the ``django_db`` mark;
    these tests use neither (they share one database per module, outside any test transaction), so
    a run of the browser tests alone would otherwise reach the database the settings name.
    """
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    created = None
    if str(connection.settings_dict["NAME"]) == _CONFIGURED_DATABASE:
        with django_db_blocker.unblock():
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    if str(connection.settings_dict["NAME"]) == _CONFIGURED_DATABASE:
        pytest.fail(f"refusing to run browser tests against {_CONFIGURED_DATABASE}")
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture(scope="module")
def site(test_database: None) -> Iterator[LiveServer]:
    """The app on http://127.0.0.1:<free port>, in a thread of this process (one per module).

    Per module, not per session: its plain-HTTP settings override the production settings for the
    whole process, and the other tests of a worker must see the production settings again.
    """
    from django.db import connections

    # The server answers each request in a thread of its own; with persistent connections those
    # threads would leave PostgreSQL sessions open and the test database could not be dropped.
    database_settings = connections.settings["default"]
    kept_max_age = database_settings["CONN_MAX_AGE"]
    database_settings["CONN_MAX_AGE"] = 0
    overrides = override_settings(**_HTTP_SETTINGS)
    overrides.enable()  # before the server builds its middleware, which reads them once
    server = LiveServer("127.0.0.1")
    server._live_server_modified_settings.enable()  # adds the host to ALLOWED_HOSTS
    try:
        yield server
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        overrides.disable()
        database_settings["CONN_MAX_AGE"] = kept_max_age


def demo_framework() -> Framework:
    """The demo company's published framework, read as its HR admin (as the pages read it)."""
    from trellis.web.accounts.models import User
    from trellis.web.frameworks.selectors import framework_published_get
    from trellis.web.people import demo

    published = framework_published_get(viewer=User.objects.get(email=demo.HR_EMAIL))
    assert published is not None
    return published.framework


@dataclass(frozen=True)
class DemoCompany:
    """The 50-person Northwind Labs demo and the three demo logins (password ``northwind``)."""

    hr_email: str
    manager_email: str
    employee_email: str
    password: str = DEMO_PASSWORD


#: On SQLite, the demo as first loaded in this process, copied back for each later module.
_demo_snapshot: sqlite3.Connection | None = None


def _load_demo() -> None:
    """Load the demo company into the flushed test database.

    On SQLite (an in-memory database shared with the server thread), the first module of a worker
    loads it and keeps a copy of the whole database in memory; every later module gets that copy
    back through SQLite's backup API, in milliseconds instead of the seconds a load takes. The
    copy is the database the load left, byte for byte: ids, sequences and dates included.
    PostgreSQL loads it each time.
    """
    from django.db import connection

    from trellis.web.people import demo

    global _demo_snapshot
    if connection.vendor != "sqlite":
        demo.load_demo(employees=50)
        return
    connection.ensure_connection()
    raw = connection.connection
    if _demo_snapshot is None:
        demo.load_demo(employees=50)
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        raw.backup(snapshot)
        _demo_snapshot = snapshot
    else:
        _demo_snapshot.backup(raw)


@pytest.fixture(scope="module")
def demo_company(site: LiveServer, django_db_blocker: Any) -> Iterator[DemoCompany]:
    """Northwind Labs (50 people), loaded for this module and flushed when the module ends.

    The database stays open while the module runs: to the server thread, and to the tests, which
    read it to check what a flow stored.
    """
    from trellis.web.people import demo

    with django_db_blocker.unblock(), override_settings(**_HTTP_SETTINGS):
        call_command("flush", interactive=False, verbosity=0)
        _load_demo()
        demo_framework()  # parse the published version once, as a warm server would have
        try:
            yield DemoCompany(
                hr_email=demo.HR_EMAIL, manager_email=demo.MANAGER_EMAIL, employee_email=demo.EMPLOYEE_EMAIL
            )
        finally:
            call_command("flush", interactive=False, verbosity=0)


@dataclass
class Steps:
    """Numbered full-page screenshots of one test: ``steps.shot("home")`` → ``01-home.png``."""

    page: Page
    folder: Path
    taken: list[Path] = field(default_factory=list)

    def shot(self, step: str) -> Path:
        slug = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        path = self.folder / f"{len(self.taken) + 1:02d}-{slug}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.taken.append(path)
        return path


@pytest.fixture
def browser_errors() -> list[str]:
    """What the pages of this test logged as errors in the browser console (filled by `page`)."""
    return []


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    # Keep the outcome of the test itself, so that teardown can tell whether it already failed.
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def page(
    browser: Browser,
    site: LiveServer,
    demo_company: DemoCompany,
    browser_errors: list[str],
    request: pytest.FixtureRequest,
) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies) whose relative URLs go to the live server.

    Console errors fail a test that otherwise passed (a failed test has already said what is wrong;
    the missing page it met would only add a "404" console line).
    """
    context = browser.new_context(base_url=site.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(STEP_TIMEOUT_MS)
    opened = context.new_page()
    opened.on(
        "console",
        lambda message: (
            browser_errors.append(f"{opened.url}: {message.text}") if message.type == "error" else None
        ),
    )
    opened.on("pageerror", lambda error: browser_errors.append(f"{opened.url}: {error}"))
    try:
        yield opened
    finally:
        context.close()
    if browser_errors and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail("the browser console logged errors:\n" + "\n".join(browser_errors), pytrace=False)


@pytest.fixture
def steps(page: Page, request: pytest.FixtureRequest) -> Steps:
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Steps(page=page, folder=folder)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form, as a person would, and land on the home page."""
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Hello, "))).to_be_visible()
