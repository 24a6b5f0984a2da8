"""/gezond/ says the process serves; /gezond/klaar/ says PostgreSQL and Redis answer too.

The outages are real: a port nobody listens on, and a server that accepts a connection and
then never answers (the worst case for a probe, which must not hang).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
READY = "/gezond/klaar/"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def assert_never_cached(response) -> None:
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control
    assert "no-store" in cache_control


@pytest.mark.django_db
def test_health_answers_without_asking_anyone(client):
    response = client.get("/gezond/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert_never_cached(response)


@pytest.mark.redis
@pytest.mark.django_db
def test_ready_when_database_and_redis_answer(client):
    response = client.get(READY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "redis": "ok"}
    assert_never_cached(response)


@pytest.mark.django_db
@override_settings(REDIS_URL="", CELERY_BROKER_URL="memory://")
def test_ready_without_redis_checks_only_the_database(client):
    response = client.get(READY)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "redis": "not used"}


@pytest.mark.django_db
def test_not_ready_when_redis_is_down(client):
    down = f"redis://127.0.0.1:{closed_port()}/1"
    with override_settings(REDIS_URL=down, CELERY_BROKER_URL=down):
        started = time.monotonic()
        response = client.get(READY)
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "down"}
    assert_never_cached(response)


@pytest.mark.redis
@pytest.mark.django_db
def test_not_ready_when_only_the_broker_is_down(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/1"):
        response = client.get(READY)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "redis": "down"}


@pytest.mark.django_db
def test_not_ready_when_redis_accepts_but_never_answers(client, silent_port):
    silent = f"redis://127.0.0.1:{silent_port}/1"
    with override_settings(REDIS_URL=silent, CELERY_BROKER_URL=silent):
        started = time.monotonic()
        response = client.get(READY)
    # The probe gives up after its own timeout (2 s), well within the healthcheck's 10 s.
    assert time.monotonic() - started < 4
    assert response.status_code == 503
    assert response.json()["redis"] == "down"


def ready_in_a_fresh_process(database_url: str) -> tuple[int, dict]:
    """The readiness view through the whole middleware stack, in a process whose default
    database is `database_url`: the test process's own connection stays untouched."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kenniscloud.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_BROKER_URL": "",
    }
    code = (
        "import django; django.setup(); from django.test import Client; "
        f"r = Client().get({READY!r}); print(r.status_code); print(r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    return int(status), json.loads(body)


def test_not_ready_when_postgresql_is_down():
    status, body = ready_in_a_fresh_process(
        f"postgres://postgres@127.0.0.1:{closed_port()}/kenniscloud"
    )
    assert status == 503
    assert body == {"database": "down", "redis": "ok" if settings.REDIS_URL else "not used"}


def test_not_ready_when_postgresql_accepts_but_never_answers(silent_port):
    started = time.monotonic()
    status, body = ready_in_a_fresh_process(
        f"postgres://postgres@127.0.0.1:{silent_port}/kenniscloud"
    )
    # Interpreter start-up plus the 5 s connect timeout of the settings, not for ever.
    assert time.monotonic() - started < 20
    assert (status, body["database"]) == (503, "down")


# --- The container healthchecks (kenniscloud/common/healthcheck.py, beat.py) ------------------


def test_beat_ticks_at_least_every_30_seconds(tmp_path):
    """However long until the next task is due, so that its heartbeat stays fresh."""
    from kenniscloud.celery import app
    from kenniscloud.common.beat import HeartbeatScheduler

    schedule = str(tmp_path / "celerybeat-schedule")
    scheduler = HeartbeatScheduler(app=app, lazy=True, schedule_filename=schedule)
    assert scheduler.max_interval == 30
    assert HeartbeatScheduler(app=app, lazy=True, max_interval=5).max_interval == 5


@pytest.mark.parametrize(
    ("allowed_hosts", "host"),
    [
        ("kenniscloud.example.org,www.example.org", "kenniscloud.example.org"),
        ("*,.example.org", "example.org"),
        (" , localhost", "localhost"),
        ("", None),
    ],
)
def test_web_healthcheck_asks_for_a_host_django_accepts(monkeypatch, allowed_hosts, host):
    from kenniscloud.common.healthcheck import _host_header

    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", allowed_hosts)
    assert _host_header() == host
