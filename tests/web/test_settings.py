"""The settings: production mode is what tests run, `check --deploy` is clean with the documented
variables, SQLite runs in WAL mode, and every page carries a strict content security policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from .subprocesses import PRODUCTION_SECRET_KEY, run_python, run_trellis

PRODUCTION = {
    "TRELLIS_DEBUG": "0",
    "TRELLIS_SECRET_KEY": PRODUCTION_SECRET_KEY,
    "TRELLIS_ALLOWED_HOSTS": "trellis.example.com",
    "TRELLIS_CSRF_TRUSTED_ORIGINS": "https://trellis.example.com",
    "TRELLIS_BEHIND_PROXY": "1",
}


def test_tests_run_with_the_production_settings() -> None:
    assert settings.DEBUG is False
    assert settings.SESSION_COOKIE_SECURE is True
    assert settings.SESSION_COOKIE_NAME == "__Host-trellis_session"
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.AUTH_USER_MODEL == "accounts.User"
    assert settings.TASKS == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_check_deploy_is_clean_in_production_mode(tmp_path: Path) -> None:
    result = run_trellis(tmp_path, "manage", "check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_check_deploy_catches_debug_mode(tmp_path: Path) -> None:
    result = run_trellis(
        tmp_path, "manage", "check", "--deploy", "--fail-level", "WARNING", TRELLIS_DEBUG="1"
    )
    assert result.returncode == 1
    assert "security.W018" in result.stderr  # DEBUG on


def test_a_bad_flag_is_a_clear_configuration_error(tmp_path: Path) -> None:
    result = run_trellis(tmp_path, "manage", "check", TRELLIS_DEBUG="maybe")
    assert result.returncode != 0
    assert "TRELLIS_DEBUG='maybe': expected 1 or 0" in result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        "with connection.cursor() as cursor:\n"
        "    cursor.execute('PRAGMA journal_mode'); journal = cursor.fetchone()[0]\n"
        "    cursor.execute('PRAGMA synchronous'); synchronous = cursor.fetchone()[0]\n"
        "print(journal, synchronous, connection.transaction_mode, connection.settings_dict['NAME'])\n"
    )
    result = run_python(tmp_path, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1", "IMMEDIATE", str(tmp_path / "trellis.sqlite3")]


def test_database_url_selects_postgresql(tmp_path: Path) -> None:
    code = (
        "from django.conf import settings\n"
        "database = settings.DATABASES['default']\n"
        "print(database['ENGINE'], database['NAME'], database['HOST'], database['PORT'], database['CONN_MAX_AGE'])\n"
    )
    result = run_python(tmp_path, code, DATABASE_URL="postgres://trellis:secret@db.internal:5433/trellis")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "trellis", "db.internal", "5433", "60"]


def test_the_secret_key_is_generated_once_and_kept(tmp_path: Path) -> None:
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_python(tmp_path, code).stdout.strip()
    second = run_python(tmp_path, code).stdout.strip()
    assert len(first) >= 50
    assert first == second == (tmp_path / "secret_key").read_text().strip()
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/accounts/login/")
    policy = dict(
        [*directive.split(" ", 1), ""][:2] for directive in response["Content-Security-Policy"].split("; ")
    )
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"])
    assert nonce is not None
    assert policy == {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce.group(1)}'",
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
        "base-uri": "'none'",
        "object-src": "'none'",
    }
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    assert "style=" not in html
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html


@pytest.mark.django_db
def test_security_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(db: None) -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_behind_the_load_balancer_the_health_check_answers(tmp_path: Path) -> None:
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('collectstatic', interactive=False, verbosity=0)\n"
        "from django.test import Client\n"
        "client = Client(HTTP_HOST='trellis.example.com')\n"
        "print(client.get('/accounts/login/', HTTP_X_FORWARDED_PROTO='https').status_code)\n"
        "print(client.get('/accounts/login/').status_code)\n"
    )
    result = run_python(tmp_path, code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "301"]
