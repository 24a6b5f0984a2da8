"""`make bench` starts gunicorn with production settings: the environment it builds must satisfy
what production requires, or the benchmark dies before it measures anything (it did, when
production began to require KENNISCLOUD_SITE_URL and Redis)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.redis
def test_the_bench_environment_starts_production_settings(monkeypatch):
    monkeypatch.setenv("BENCH_REDIS_URL", settings.REDIS_URL)
    monkeypatch.setenv("BENCH_DATABASE_URL", "")  # the SQLite fallback: no database is touched
    env, database, cache = _bench_module().bench_environment()
    assert (database, cache) == ("SQLite (fallback)", "Redis")
    started = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert started.stdout.strip() == "started", started.stderr[-2000:]


def test_the_bench_says_it_needs_redis(monkeypatch):
    monkeypatch.setenv("BENCH_REDIS_URL", "redis://127.0.0.1:9/0")  # nothing listens there
    monkeypatch.setenv("BENCH_DATABASE_URL", "")
    with pytest.raises(SystemExit, match="need Redis"):
        _bench_module().bench_environment()
