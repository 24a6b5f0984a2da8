"""The production stack in docker-compose.yml and the Dockerfile it builds: which services run,
that web, worker and beat share one image and one configuration, that each says whether it is
healthy, and that nginx serves the uploads. tests/test_image.py runs the image's file set."""

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
    assert set(compose["services"]) == {"db", "redis", "web", "worker", "beat", "nginx"}


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


@pytest.fixture(scope="module")
def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text()


def stages(dockerfile: str) -> list[str]:
    return re.split(r"^(?=FROM )", dockerfile, flags=re.MULTILINE)[1:]


def test_app_services_build_the_dockerfile(compose):
    build = compose["x-app"]["build"]
    assert build == {"context": ".", "dockerfile": "Dockerfile"}
    assert (ROOT / build["dockerfile"]).is_file()


def test_image_runs_the_python_the_lock_is_compiled_for(dockerfile):
    locked = re.search(r"--python-version (\d+\.\d+)", (ROOT / "requirements.lock").read_text())
    images = re.findall(r"^FROM python:(\d+\.\d+)-slim\S*", dockerfile, re.MULTILINE)
    assert len(images) == len(stages(dockerfile)) == 2
    assert set(images) == {locked.group(1)}


def test_image_installs_only_the_runtime_lock(dockerfile):
    builder, runtime = stages(dockerfile)
    assert re.match(r"FROM \S+ AS builder\n", builder)
    assert re.search(r"^COPY requirements\.lock \S+$", builder, re.MULTILINE)
    assert re.search(r"^RUN /opt/venv/bin/pip install -r \S*requirements\.lock$", builder, re.M)
    assert "requirements-dev" not in dockerfile
    assert "pip install" not in runtime, "the runtime stage installs nothing itself"
    assert re.search(r"^COPY --from=builder /opt/venv /opt/venv$", runtime, re.MULTILINE)
    assert "PATH=/opt/venv/bin:$PATH" in runtime


def test_image_copies_the_project_whole_and_runs_as_a_user(dockerfile):
    runtime = stages(dockerfile)[-1]
    assert re.search(r"^WORKDIR /app$", runtime, re.MULTILINE)
    copies = re.findall(r"^COPY (?!--from)(.*)$", runtime, re.MULTILINE)
    assert copies == [". ."], "one COPY of the whole context, filtered by .dockerignore"
    users = re.findall(r"^USER (\S+)$", runtime, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    # Celery started from the image (worker, beat, a shell) uses production settings too.
    assert "DJANGO_SETTINGS_MODULE=kenniscloud.settings.production" in runtime


def test_only_nginx_is_published(compose):
    published = {name for name, service in compose["services"].items() if "ports" in service}
    assert published == {"nginx"}
    assert compose["services"]["web"]["expose"] == ["8000"]


def test_nginx_serves_the_media_volume_read_only(compose):
    nginx = compose["services"]["nginx"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in nginx["volumes"]
    # The app writes uploads to MEDIA_ROOT in the image (/app/var/media) on the named volume ...
    assert compose["x-app"]["volumes"] == [
        "media:/app/var/media",
        "private:/app/var/private",
    ]
    assert "media" in compose["volumes"]
    # ... and nginx serves that same volume, read-only, at /media/.
    media_mount = next(v for v in nginx["volumes"] if v.startswith("media:"))
    _volume, target, mode = media_mount.split(":")
    assert mode == "ro"
    media = re.search(r"location /media/ \{\s*alias ([^;]+);", config)
    assert media and media.group(1).rstrip("/") == target
    assert re.search(r"location /media/documents/ \{\s*return 404;", config)
    assert "set $kenniscloud_web http://web:8000;" in config
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in config
    assert "proxy_set_header X-Forwarded-Proto $kenniscloud_proto;" in config
    assert compose["x-app"]["environment"]["KENNISCLOUD_TRUSTED_PROXY_COUNT"] == "1"
    assert nginx["depends_on"] == {"web": {"condition": "service_healthy"}}


def test_private_files_are_on_a_volume_nginx_never_mounts(compose):
    """Data exports (PRIVATE_MEDIA_ROOT, var/private) survive a rebuild and are shared by the
    worker that writes them and web that streams them to their owner; nginx cannot serve them."""
    assert "private:/app/var/private" in compose["x-app"]["volumes"]
    assert "private" in compose["volumes"]
    nginx = compose["services"]["nginx"]
    assert not any(v.startswith("private:") for v in nginx["volumes"])
    assert "private" not in (ROOT / "deploy" / "nginx.conf").read_text()
    assert "var/private" in (ROOT / "Dockerfile").read_text()


def healthcheck_of(compose, name: str) -> str:
    test = compose["services"][name]["healthcheck"]["test"]
    assert test[0] in {"CMD", "CMD-SHELL"}
    return " ".join(test[1:])


def test_web_is_healthy_when_ready(compose):
    assert healthcheck_of(compose, "web") == (
        "python -m kenniscloud.common.healthcheck web http://127.0.0.1:8000/gezond/klaar/"
    )
    healthcheck = compose["services"]["web"]["healthcheck"]
    # The probe's own timeouts (PostgreSQL 5 s, Redis 2 s) fit in the healthcheck's.
    assert healthcheck["timeout"] == "10s"


def test_worker_is_healthy_when_it_answers_a_ping(compose):
    assert healthcheck_of(compose, "worker") == (
        "celery -A kenniscloud inspect ping --destination celery@$$HOSTNAME --timeout 10"
    )


def test_beat_is_healthy_while_it_ticks(compose):
    command = command_of(compose["services"]["beat"])
    assert "--scheduler kenniscloud.common.beat:HeartbeatScheduler" in command
    schedule = re.search(r"--schedule (\S+)", command).group(1)
    assert healthcheck_of(compose, "beat") == (
        f"python -m kenniscloud.common.healthcheck beat {schedule}.heartbeat"
    )
