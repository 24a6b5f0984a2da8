"""Digest periods: keys, local boundaries at 07:00, the weekday setting and its check."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from notifications.periods import Period, next_period, parse_weekday, periods_due

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("value", "weekday"),
    [("monday", 0), ("Maandag", 0), ("vrijdag", 4), ("sunday", 6), ("1", 0), ("7", 6)],
)
def test_weekdays_in_english_dutch_or_iso(value, weekday):
    assert parse_weekday(value) == weekday


@pytest.mark.parametrize("value", ["", "0", "8", "someday"])
def test_a_wrong_weekday_is_refused(value):
    with pytest.raises(ValueError):
        parse_weekday(value)


def test_a_wrong_weekday_stops_the_site_at_start_up(settings):
    settings.DIGEST_WEEKDAY = "someday"

    with pytest.raises(SystemCheckError, match="DIGEST_WEEKDAY"):
        call_command("check")


def test_a_week_is_seven_mornings_at_seven_local_time_also_across_dst():
    period = Period("weekly", dt.date(2025, 3, 31))  # summer time began on 30 March

    assert period.key == "weekly:2025-03-31"
    assert period.start == dt.datetime(2025, 3, 24, 7, tzinfo=AMSTERDAM)
    assert period.end == dt.datetime(2025, 3, 31, 7, tzinfo=AMSTERDAM)
    assert Period.from_key(period.key) == period


def test_consecutive_daily_periods_neither_overlap_nor_leave_gaps():
    monday, tuesday = Period("daily", dt.date(2025, 3, 10)), Period("daily", dt.date(2025, 3, 11))

    assert monday.end == tuesday.start


def test_weekly_is_due_only_on_the_configured_day(settings):
    settings.DIGEST_WEEKDAY = "thursday"

    assert [p.key for p in periods_due(dt.date(2025, 3, 13))] == [
        "daily:2025-03-13",
        "weekly:2025-03-13",
    ]
    assert [p.key for p in periods_due(dt.date(2025, 3, 14))] == ["daily:2025-03-14"]


def test_the_next_period_is_the_first_that_ends_later(settings):
    settings.DIGEST_WEEKDAY = "monday"
    saturday_noon = dt.datetime(2025, 3, 15, 12, tzinfo=AMSTERDAM)
    monday_early = dt.datetime(2025, 3, 17, 6, tzinfo=AMSTERDAM)

    assert next_period("weekly", saturday_noon).key == "weekly:2025-03-17"
    assert next_period("weekly", monday_early).key == "weekly:2025-03-17"
    assert next_period("daily", saturday_noon).key == "daily:2025-03-16"


def test_beat_runs_the_digest_at_seven_amsterdam_time(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["digest-run"]

    assert entry["task"] == "notifications.tasks.digest_run"
    assert entry["schedule"].hour == {settings.DIGEST_HOUR} == {7}
    assert entry["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
