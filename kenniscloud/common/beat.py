"""Celery beat that shows it is alive: `celery -A kenniscloud beat -S <this scheduler>`.

A beat that hangs (a broker that never answers, a stuck process) still looks "running" to
Docker. This scheduler touches `<schedule file>.heartbeat` on every tick and ticks at least
every HEARTBEAT_SECONDS; the compose healthcheck (kenniscloud/common/healthcheck.py) fails
when that file has not been touched for a few ticks.
"""

from __future__ import annotations

from pathlib import Path

from celery.beat import PersistentScheduler

HEARTBEAT_SECONDS = 30


def heartbeat_path(schedule_filename: str) -> Path:
    return Path(f"{schedule_filename}.heartbeat")


class HeartbeatScheduler(PersistentScheduler):
    """Celery's default scheduler (a shelve file), plus the heartbeat."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sleep no longer than this between ticks, even when nothing is due for an hour.
        self.max_interval = min(self.max_interval, HEARTBEAT_SECONDS)

    def setup_schedule(self) -> None:
        super().setup_schedule()
        self._beat()

    def tick(self, *args, **kwargs) -> float:
        interval = super().tick(*args, **kwargs)
        self._beat()
        return interval

    def _beat(self) -> None:
        heartbeat_path(self.schedule_filename).touch()
