"""Container healthchecks for docker-compose.yml, without loading Django (they run every few
seconds, and must answer even when the settings would refuse to start).

    python -m kenniscloud.common.healthcheck web http://127.0.0.1:8000/gezond/klaar/
    python -m kenniscloud.common.healthcheck beat /app/var/celerybeat-schedule.heartbeat

Exit status 0 is healthy; otherwise one line says why (`docker inspect` shows it).
The worker's check is Celery's own: `celery -A kenniscloud inspect ping -d celery@$HOSTNAME`.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Beat ticks at least every 30 s (kenniscloud/common/beat.py): three missed ticks and a margin.
BEAT_MAX_AGE_SECONDS = 120


def _host_header() -> str | None:
    """A host name Django accepts: the first of DJANGO_ALLOWED_HOSTS that is a real name."""
    for host in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return None


def check_web(url: str, timeout: float) -> str | None:
    request = urllib.request.Request(url)
    if host := _host_header():
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status == 200:
                return None
            return f"{url} answered {response.status}"
    except urllib.error.HTTPError as error:
        body = error.read(200).decode(errors="replace").strip()
        return f"{url} answered {error.code}: {body}"
    except (urllib.error.URLError, OSError) as error:
        return f"{url} did not answer: {error}"


def check_beat(heartbeat: Path, max_age: float) -> str | None:
    try:
        age = time.time() - heartbeat.stat().st_mtime
    except FileNotFoundError:
        return f"no heartbeat at {heartbeat}: beat has not ticked yet"
    if age > max_age:
        return f"beat's last tick was {age:.0f} s ago (at most {max_age:.0f} s allowed)"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kenniscloud.common.healthcheck")
    checks = parser.add_subparsers(dest="check", required=True)
    web = checks.add_parser("web", help="the URL answers 200")
    web.add_argument("url")
    web.add_argument("--timeout", type=float, default=9)
    beat = checks.add_parser("beat", help="beat's heartbeat file is fresh")
    beat.add_argument("heartbeat", type=Path)
    beat.add_argument("--max-age", type=float, default=BEAT_MAX_AGE_SECONDS)
    args = parser.parse_args(argv)

    if args.check == "web":
        problem = check_web(args.url, args.timeout)
    else:
        problem = check_beat(args.heartbeat, args.max_age)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    print("healthy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
