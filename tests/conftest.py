"""Options shared by the whole suite.

``--database-tests-only`` keeps the tests that use the database (through pytest-django's ``db``,
``transactional_db`` or ``live_server`` fixtures, directly or through another fixture, or the
``django_db`` mark) and deselects the rest. CI runs the whole suite on SQLite and then, on
PostgreSQL, only what the engine can change: pure framework tests, lint, rendering and subprocess
checks on a scratch SQLite file give the same result whatever ``DATABASE_URL`` says.
"""

from __future__ import annotations

import pytest

_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "live_server"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        default=False,
        help="run only the tests that touch the database (CI's second engine)",
    )


def uses_database(item: pytest.Item) -> bool:
    """Whether `item` reaches the test database; fixture names include every fixture it needs,
    transitively."""
    if item.get_closest_marker("django_db") is not None:
        return True
    return bool(_DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if uses_database(item)]
    deselected = [item for item in items if not uses_database(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
