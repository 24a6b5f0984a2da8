"""Production settings refuse to start without their secrets and pass Django's deploy checks.

Each case runs in a fresh interpreter, because settings are read once per process. Every
variable that matters is set explicitly, even to an empty value, so that neither the caller's
environment nor a developer's .env file (which only fills in what is missing) changes the result.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup()"


@pytest.fixture
def production_env(tmp_path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "EMAIL_", "KENNISCLOUD_")
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kenniscloud.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="kenniscloud.example.org",
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        # Only read, never contacted: importing settings opens no connection.
        REDIS_URL="redis://127.0.0.1:6379/1",
        CELERY_BROKER_URL="",
        EMAIL_URL="smtp+tls://kenniscloud:secret@smtp.example.org:587",
        KENNISCLOUD_SITE_URL="https://kenniscloud.example.org",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


# Each required variable and the example its refusal gives.
REQUIRED = {
    "DJANGO_SECRET_KEY": "a long random string",
    "DJANGO_ALLOWED_HOSTS": "the host names the site answers to",
    "DATABASE_URL": "postgres://user:password@host:5432/kenniscloud",
    "REDIS_URL": "redis://host:6379/0",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
    "KENNISCLOUD_SITE_URL": "the public address, https://kenniscloud.example.org",
}


def refusal(result: subprocess.CompletedProcess) -> list[str]:
    """The lines of the ImproperlyConfigured message: what an operator reads in the log."""
    assert result.returncode != 0, result.stdout
    marker = "django.core.exceptions.ImproperlyConfigured: "
    assert marker in result.stderr, result.stderr
    return result.stderr.split(marker, 1)[1].strip().splitlines()


@pytest.mark.parametrize("variable", REQUIRED)
def test_production_refuses_to_start_without(variable, production_env):
    # Set but empty, so that a .env file in the repository cannot fill it in; base.py would
    # otherwise fall back to SQLite, no Redis or mail on the console without a word.
    production_env[variable] = ""
    result = run(["-c", SETUP], production_env)
    assert refusal(result) == [
        f"Set {variable} ({REQUIRED[variable]}): production refuses to start without it."
    ]
    assert f"ImproperlyConfigured: Set {variable} (" in result.stderr


def test_production_names_every_missing_variable_on_its_own_line(production_env):
    for variable in REQUIRED:
        production_env[variable] = ""
    lines = refusal(run(["-c", SETUP], production_env))
    assert [line.split()[1] for line in lines] == list(REQUIRED)


def placeholder_secret_key() -> str:
    text = (ROOT / ".env.example").read_text()
    return re.search(r"^DJANGO_SECRET_KEY=(.*)$", text, re.MULTILINE).group(1)


def test_production_refuses_the_placeholder_secret_key_of_env_example(production_env):
    production_env["DJANGO_SECRET_KEY"] = placeholder_secret_key()
    assert refusal(run(["-c", SETUP], production_env)) == [
        "DJANGO_SECRET_KEY is the placeholder from .env.example: set a random one, e.g. "
        'python3 -c "import secrets; print(secrets.token_urlsafe(50))".'
    ]


@pytest.mark.parametrize("key", ["geheim", "kenniscloud-2026", "a" * 64, "ab" * 30])
def test_production_refuses_a_short_or_simple_secret_key(key, production_env):
    production_env["DJANGO_SECRET_KEY"] = key
    (line,) = refusal(run(["-c", SETUP], production_env))
    assert line.startswith(f"DJANGO_SECRET_KEY is too short or too simple ({len(key)} characters)")


def test_production_refuses_a_site_url_without_scheme(production_env):
    production_env["KENNISCLOUD_SITE_URL"] = "kenniscloud.example.org"
    assert refusal(run(["-c", SETUP], production_env)) == [
        "KENNISCLOUD_SITE_URL must start with https:// (or http://), not 'kenniscloud.example.org'."
    ]


def test_celery_uses_production_settings_by_default(production_env):
    """`celery -A kenniscloud worker` in the image: nothing but the environment chooses."""
    del production_env["DJANGO_SETTINGS_MODULE"]
    code = (
        "from kenniscloud.celery import app; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, app.conf.broker_url, app.conf.task_always_eager)"
    )
    result = run(["-c", code], production_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "kenniscloud.settings.production",
        "redis://127.0.0.1:6379/1",
        "False",
    ]


def test_celery_without_secrets_refuses_to_start(production_env):
    del production_env["DJANGO_SETTINGS_MODULE"]
    production_env["REDIS_URL"] = ""
    lines = refusal(run(["-m", "celery", "-A", "kenniscloud", "report"], production_env))
    assert lines == ["Set REDIS_URL (redis://host:6379/0): production refuses to start without it."]


def test_production_starts_with_its_secrets(production_env):
    result = run(
        ["-c", f"{SETUP}; from django.conf import settings; print(settings.DEBUG)"], production_env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_production_passes_the_deploy_checks(production_env):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_an_unknown_search_engine_stops_the_start(production_env):
    production_env["KENNISCLOUD_SEARCH_ENGINE"] = "solr"
    result = run(["-c", SETUP], production_env)
    assert result.returncode != 0
    assert "KENNISCLOUD_SEARCH_ENGINE must be postgresql or wagtail, not 'solr'" in result.stderr


def test_database_connections_persist_by_default(production_env):
    production_env.pop("DATABASE_CONN_MAX_AGE", None)
    code = (
        "from kenniscloud.settings import base; "
        "db = base.DATABASES['default']; print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'])"
    )
    result = run(["-c", code], production_env)
    assert result.returncode == 0, result.stderr
    max_age, health_checks = result.stdout.split()
    assert int(max_age) > 0
    assert health_checks == "True"


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_sites_postgresql_connection_compiles_no_queries():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_env_example_documents_every_variable_the_settings_read():
    settings_dir = ROOT / "kenniscloud" / "settings"
    read = {
        name
        for path in settings_dir.glob("*.py")
        for name in re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", path.read_text())
    }
    documented = set(
        re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert read, "found no environment variables in the settings"
    assert read <= documented, f"not in .env.example: {sorted(read - documented)}"
