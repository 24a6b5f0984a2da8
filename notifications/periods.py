"""Digest periods: which ones are due on a day, and their boundaries in Europe/Amsterdam.

A period ends on a local date at `DIGEST_HOUR` (07:00) and starts one day or one week earlier,
so consecutive periods neither overlap nor leave gaps, and the key of a period depends only on
the date: a beat that fires twice, or a run repeated by hand, plans the same period again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from .models import DigestFrequency

WEEKDAYS = {
    name: number
    for number, names in enumerate(
        [
            ("monday", "maandag", "mon", "ma"),
            ("tuesday", "dinsdag", "tue", "di"),
            ("wednesday", "woensdag", "wed", "wo"),
            ("thursday", "donderdag", "thu", "do"),
            ("friday", "vrijdag", "fri", "vr"),
            ("saturday", "zaterdag", "sat", "za"),
            ("sunday", "zondag", "sun", "zo"),
        ]
    )
    for name in names
}
LENGTH = {DigestFrequency.DAILY: dt.timedelta(days=1), DigestFrequency.WEEKLY: dt.timedelta(days=7)}


def parse_weekday(value: str) -> int:
    """Monday is 0, like `date.weekday()`. Accepts English or Dutch names, or ISO 1-7."""
    value = str(value).strip().lower()
    if value.isdigit() and 1 <= int(value) <= 7:
        return int(value) - 1
    if value not in WEEKDAYS:
        raise ValueError(f"unknown weekday {value!r}")
    return WEEKDAYS[value]


def digest_weekday() -> int:
    return parse_weekday(settings.DIGEST_WEEKDAY)


@dataclass(frozen=True)
class Period:
    frequency: str
    end_date: dt.date

    @property
    def key(self) -> str:
        return f"{self.frequency}:{self.end_date.isoformat()}"

    @property
    def end(self) -> dt.datetime:
        local = ZoneInfo(settings.TIME_ZONE)
        return dt.datetime.combine(self.end_date, dt.time(settings.DIGEST_HOUR), tzinfo=local)

    @property
    def start(self) -> dt.datetime:
        # Calendar arithmetic in local time: a week is seven mornings, also across DST.
        local = ZoneInfo(settings.TIME_ZONE)
        start_date = self.end_date - LENGTH[self.frequency]
        return dt.datetime.combine(start_date, dt.time(settings.DIGEST_HOUR), tzinfo=local)

    @classmethod
    def from_key(cls, key: str) -> Period:
        frequency, _sep, day = key.partition(":")
        if frequency not in LENGTH:
            raise ValueError(f"unknown digest period {key!r}")
        return cls(frequency, dt.date.fromisoformat(day))


def periods_due(on: dt.date) -> list[Period]:
    """The daily period every day, the weekly one on the configured weekday."""
    due = [Period(DigestFrequency.DAILY, on)]
    if on.weekday() == digest_weekday():
        due.append(Period(DigestFrequency.WEEKLY, on))
    return due


def next_period(frequency: str, after: dt.datetime) -> Period:
    """The first period of `frequency` that ends after `after`: what a member gets next."""
    local_after = after.astimezone(ZoneInfo(settings.TIME_ZONE))
    day = local_after.date()
    for offset in range(9):
        candidate = day + dt.timedelta(days=offset)
        if frequency == DigestFrequency.WEEKLY and candidate.weekday() != digest_weekday():
            continue
        period = Period(frequency, candidate)
        if period.end > after:
            return period
    raise AssertionError("a period ends within nine days")
