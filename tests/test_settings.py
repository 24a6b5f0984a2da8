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
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "EMAIL_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="kenniscloud.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="kenniscloud.example.org",
        DJANGO_DEBUG="false",
        DJANGO_SECURE_SSL_REDIRECT="true",
        DJANGO_SECURE_HSTS_SECONDS="31536000",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL="",
        CELERY_BROKER_URL="memory://",
        EMAIL_URL="consolemail://",
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("variable", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(variable, production_env):
    production_env[variable] = ""
    result = run(["-c", SETUP], production_env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: Set {variable}" in result.stderr


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
