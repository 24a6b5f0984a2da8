"""The beat job: zips past DATA_EXPORT_DAYS are deleted, and dead builds given up."""

from __future__ import annotations

import datetime as dt

import pytest

from privacy import services, tasks
from privacy.models import DataExport

pytestmark = pytest.mark.django_db


def _ready(member) -> DataExport:
    export = services.data_export_request(member=member)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def test_an_export_is_deleted_after_data_export_days(
    member, clock, private_root, settings, django_capture_on_commit_callbacks
):
    settings.DATA_EXPORT_DAYS = 7
    clock.set("2026-12-07T10:00")
    export = _ready(member)
    path = private_root / export.file.name
    assert export.expires_at == clock.now() + dt.timedelta(days=7)

    clock.set("2026-12-14T09:59")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_purge() == {"expired": 0, "failed": 0}
    assert path.is_file()

    clock.set("2026-12-14T10:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_purge() == {"expired": 1, "failed": 0}
    assert not path.exists()
    export.refresh_from_db()
    assert export.state == DataExport.State.EXPIRED
    assert not export.file

    # Idempotent: a second run finds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.data_export_purge() == {"expired": 0, "failed": 0}


def test_a_new_export_replaces_the_previous_zip(
    member, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _ready(member)
        second = _ready(member)
    first.refresh_from_db()
    assert first.state == DataExport.State.EXPIRED
    assert [p.name for p in private_root.rglob("*.zip")] == [second.file.name.split("/")[-1]]


def test_a_build_whose_worker_died_is_given_up_and_can_be_taken_again(member, clock):
    clock.set("2026-12-07T10:00")
    export = services.data_export_request(member=member)
    DataExport.objects.filter(pk=export.pk).update(
        state=DataExport.State.BUILDING, started_at=clock.now()
    )
    # Still running: another delivery of the task leaves it alone.
    clock.tick(dt.timedelta(minutes=5))
    assert services.data_export_build(export_id=export.pk) is None
    # Dead: a redelivered task may take it over ...
    clock.tick(dt.timedelta(minutes=6))
    assert services.data_export_build(export_id=export.pk).state == DataExport.State.READY


def test_the_purge_fails_dead_builds_so_the_member_can_ask_again(member, clock):
    clock.set("2026-12-07T10:00")
    export = services.data_export_request(member=member)
    DataExport.objects.filter(pk=export.pk).update(
        state=DataExport.State.BUILDING, started_at=clock.now()
    )
    clock.tick(dt.timedelta(minutes=11))
    assert services.data_export_purge() == {"expired": 0, "failed": 1}
    assert DataExport.objects.get(pk=export.pk).state == DataExport.State.FAILED
    assert services.data_export_request(member=member).state == DataExport.State.PENDING


def test_beat_runs_the_purge_hourly(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["data-export-purge"]
    assert entry["task"] == tasks.data_export_purge.name


def test_deleting_the_account_deletes_the_zip(
    member, private_root, django_capture_on_commit_callbacks
):
    path = private_root / _ready(member).file.name
    assert path.is_file()
    with django_capture_on_commit_callbacks(execute=True):
        member.delete()
    assert not path.exists()
    assert not DataExport.objects.exists()
