"""The web app's subcommands of `trellis`: manage, serve, worker and demo.

`trellis.cli` calls `register` when this module is importable. Handlers return the exit status.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

DEFAULT_PORT = 8000

#: Gunicorn sync workers; more than there are cores does not serve more requests here.
DEFAULT_WORKERS = max(2, os.cpu_count() or 2)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.web.settings")
    import django

    django.setup()


def command_manage(arguments: argparse.Namespace) -> int:
    from trellis.web.manage import main

    return main(["trellis manage", *arguments.args])


def _pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def command_serve(arguments: argparse.Namespace) -> int:
    """Production mode: DEBUG off, static files collected, gunicorn with several workers."""
    if arguments.workers < 1:
        print("trellis serve: --workers must be at least 1", file=sys.stderr)
        return 2
    os.environ["TRELLIS_DEBUG"] = "0"
    _setup_django()
    from django.core.management import call_command

    pending = _pending_migrations()
    if pending:
        print(
            f"trellis serve: the database needs {len(pending)} migration(s); "
            "run `trellis manage migrate` first (see docs/deploy.md, Upgrades)",
            file=sys.stderr,
        )
        return 1
    call_command("collectstatic", interactive=False, verbosity=0)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "trellis.web.wsgi:application",
        "--bind",
        f"{arguments.host}:{arguments.port}",
        "--workers",
        str(arguments.workers),
        # Load the app once in the master, so a broken configuration fails here and not per worker.
        "--preload",
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        os.environ.get("TRELLIS_FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    print(f"Trellis serving on http://{arguments.host}:{arguments.port} with {arguments.workers} workers")
    sys.stdout.flush()
    # Replace this process so that signals from a supervisor (systemd, a container) reach gunicorn.
    os.execv(sys.executable, command)
    return 0  # pragma: no cover - execv does not return


def command_worker(arguments: argparse.Namespace) -> int:
    """Run background tasks from the database queue until stopped."""
    from trellis.web.manage import main

    extra = ["--batch"] if arguments.batch else []
    return main(["trellis manage", "db_worker", "--no-reload", *extra])


def print_demo_logins() -> None:
    from trellis.web.people.demo import DEMO_PASSWORD, PERSONAS

    print(f"Demo logins (password: {DEMO_PASSWORD}; everyone else signs in as first.last@northwind.example):")
    for email, role in PERSONAS:
        print(f"  {email:<30} {role}")


def command_demo(arguments: argparse.Namespace) -> int:
    """Load the demo company into an empty database, or complete the demo company already there
    (missing accounts and personas; nothing else changes)."""
    if arguments.employees < 10:
        print("trellis demo: --employees must be at least 10", file=sys.stderr)
        return 2
    _setup_django()
    from trellis.web.people.demo import DemoError, holds_demo, load_demo

    if arguments.if_empty and _database_has_people() and not holds_demo():
        print("The database already holds people; the demo company was not loaded.")
        return 0
    try:
        summary = load_demo(employees=arguments.employees)
    except DemoError as error:
        print(f"trellis demo: {error}", file=sys.stderr)
        return 1
    print(summary)
    print_demo_logins()
    return 0


def _database_has_people() -> bool:
    from trellis.web.people.models import Person

    return Person.objects.exists()


def register(commands: Any) -> None:
    """Add `manage`, `serve`, `worker` and `demo` to the `trellis` command's subparsers."""
    # Everything after `manage` belongs to Django, options included (`trellis manage --help`,
    # `trellis manage migrate --plan`): with a prefix character nobody types, argparse sees no
    # options of its own here and hands every word over.
    manage = commands.add_parser(
        "manage", help="run a Django management command of the web app", add_help=False, prefix_chars="\x00"
    )
    manage.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS")
    manage.set_defaults(handler=command_manage)

    serve = commands.add_parser("serve", help="run the web app in production mode (gunicorn)")
    serve.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help=f"default {DEFAULT_WORKERS}")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.set_defaults(handler=command_serve)

    worker = commands.add_parser("worker", help="run background tasks (imports, exports, recomputation)")
    worker.add_argument("--batch", action="store_true", help="run the queued tasks, then exit")
    worker.set_defaults(handler=command_worker)

    demo = commands.add_parser(
        "demo",
        help="load the Northwind Labs demo company into an empty database (or complete the one already there)",
    )
    demo.add_argument("--employees", type=int, default=50, help="company size (default 50)")
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) when the database holds people other than the demo company",
    )
    demo.set_defaults(handler=command_demo)
