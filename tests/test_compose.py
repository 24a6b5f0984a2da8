"""The production stack in docker-compose.yml: which services run, and that web, worker and
beat share one image and one configuration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


@pytest.fixture(scope="module")
def compose_text() -> str:
    return (ROOT / "docker-compose.yml").read_text()


@pytest.fixture(scope="module")
def compose(compose_text) -> dict:
    return yaml.safe_load(compose_text)


def command_of(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_the_stack_has_exactly_these_services(compose):
    assert set(compose["services"]) == {"db", "redis", "web", "worker", "beat"}


def test_exactly_one_celery_beat(compose):
    beats = [
        name
        for name, service in compose["services"].items()
        if "command" in service and re.search(r"\bcelery\b.*\bbeat\b", command_of(service))
    ]
    assert beats == ["beat"]
    assert compose["services"]["beat"].get("deploy", {}).get("replicas", 1) == 1


def test_app_services_share_the_anchor(compose, compose_text):
    assert len(re.findall(r"^\s+<<: \*app\s*$", compose_text, re.MULTILINE)) == 3
    app = compose["x-app"]
    for name in APP_SERVICES:
        service = compose["services"][name]
        # A YAML alias is the very same object, not an equal copy.
        assert service["environment"] is app["environment"], name
        assert service["env_file"] == app["env_file"] == ".env", name
        assert service["build"] is app["build"], name
        assert service["depends_on"] is app["depends_on"], name


def test_app_environment_points_at_the_stack(compose):
    environment = compose["x-app"]["environment"]
    assert environment["DJANGO_SETTINGS_MODULE"] == "kenniscloud.settings.production"
    assert re.match(r"postgres://[^@]+@db:5432/\w+$", environment["DATABASE_URL"])
    assert re.match(r"redis://redis:6379/\d+$", environment["REDIS_URL"])


def test_app_services_wait_for_healthy_db_and_redis(compose):
    depends_on = compose["x-app"]["depends_on"]
    assert depends_on == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert "healthcheck" in compose["services"]["db"]
    assert "healthcheck" in compose["services"]["redis"]


def test_web_migrates_then_serves_with_gunicorn(compose):
    command = command_of(compose["services"]["web"])
    assert "gunicorn kenniscloud.wsgi" in command
    assert "--workers 3" in command
    assert "0.0.0.0:8000" in command
    assert (
        command.index("migrate --noinput")
        < command.index("collectstatic --noinput")
        < command.index("gunicorn")
    )


def test_celery_commands(compose):
    assert command_of(compose["services"]["worker"]).startswith("celery -A kenniscloud worker")
    assert command_of(compose["services"]["beat"]).startswith("celery -A kenniscloud beat")


def test_database_is_postgres_16_or_newer(compose):
    match = re.fullmatch(r"postgres:(\d+)(?:[.\-].*)?", compose["services"]["db"]["image"])
    assert match, compose["services"]["db"]["image"]
    assert int(match.group(1)) >= 16
    assert compose["services"]["db"]["volumes"], "the database keeps its data in a volume"


def test_image_installs_the_lock_and_runs_as_a_user(compose):
    dockerfile = compose["x-app"]["build"]["dockerfile_inline"]
    assert dockerfile.startswith("FROM python:3.12-slim")
    assert "pip install -r requirements.lock" in dockerfile
    users = re.findall(r"^USER (\S+)$", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert not re.search(r"^COPY \. ", dockerfile, re.MULTILINE), "copy the code, not .env"
