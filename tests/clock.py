"""The test clock: freeze time in one test, or run a whole session at another hour.

The code reads the time only through `django.utils.timezone.now()` (and `localdate()`/
`localtime()`, which call it), so that is the one seam we replace. Two uses:

- The `clock` fixture (tests/conftest.py) freezes `now()` for one test: `clock.set(moment)`
  and `clock.tick(timedelta)`. Use it in every test whose outcome depends on the hour or the
  date, so it passes whenever it runs.
- `KC_TEST_NOW=2027-03-28T01:30 make test` (or `pytest --now=...`) starts the whole session's
  clock at that moment, Europe/Amsterdam when no offset is given. The clock keeps running
  from there, so ordering by creation time still works. This exists to hunt clock-dependent
  tests: run the suite at 00:30, 06:59, 23:59 and on a DST switch day, and every test must
  pass. It shifts only this process: browser pages (Chromium's clock), Celery workers and
  gunicorn started as subprocesses, and the database's own NOW() keep the real time, so tests
  marked `browser` are not meaningful under it.

Besides `timezone.now`, the shifted clock also covers `naturaltime`/`naturalday` (humanize
reads `datetime.now()` directly), the one place a template shows a time relative to now.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from zoneinfo import ZoneInfo

from django.contrib.humanize.templatetags import humanize
from django.utils import timezone

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
ENV_VAR = "KC_TEST_NOW"

_real_now = timezone.now


def parse_moment(value: str) -> dt.datetime:
    """An ISO moment; without an offset it is a wall-clock time in Amsterdam."""
    moment = dt.datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMSTERDAM)
    return moment.astimezone(dt.UTC)


class _ShiftedDatetime(dt.datetime):
    """`datetime` whose now() follows the test clock, for modules that call it directly."""

    @classmethod
    def now(cls, tz=None):
        moment = timezone.now()
        if tz is None:
            return moment.astimezone().replace(tzinfo=None)
        return moment.astimezone(tz)


def start_session_clock(value: str) -> dt.datetime:
    """Make `timezone.now()` run from `value` on, for the rest of this process."""
    start = parse_moment(value)
    started = time.monotonic()

    def shifted_now() -> dt.datetime:
        return start + dt.timedelta(seconds=time.monotonic() - started)

    timezone.now = shifted_now
    humanize.datetime = _ShiftedDatetime
    return start


class Clock:
    """Frozen time for one test; see the `clock` fixture."""

    def __init__(self, monkeypatch) -> None:
        self._moment = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self._moment)
        monkeypatch.setattr(humanize, "datetime", _ShiftedDatetime)

    def set(self, moment: dt.datetime | str) -> dt.datetime:
        """Stand still at `moment` (aware, or an ISO string read as Amsterdam time)."""
        if isinstance(moment, str):
            moment = parse_moment(moment)
        if timezone.is_naive(moment):
            raise ValueError("give the clock an aware datetime or an ISO string")
        self._moment = moment.astimezone(dt.UTC)
        return self._moment

    def tick(self, delta: dt.timedelta = dt.timedelta(seconds=1)) -> dt.datetime:
        self._moment += delta
        return self._moment

    def now(self) -> dt.datetime:
        return self._moment


def session_clock_value(option: str | None) -> str | None:
    return option or os.environ.get(ENV_VAR) or None
