"""The application server names no version: gunicorn, started as the image starts it, answers
with the site's security headers and a bare `Server: gunicorn`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, deadline: float):
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_gunicorn_sends_no_version(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kenniscloud.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kenniscloud.wsgi",
            "--workers",
            "1",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        response = _get(f"http://127.0.0.1:{port}/gezond/", time.monotonic() + 30)
        headers = response.headers
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=30)

    assert headers["Server"] == "gunicorn", err.decode()[-2000:]
    assert "camera=()" in headers["Permissions-Policy"]
    assert "object-src 'none'" in headers["Content-Security-Policy"]
