"""One export at a time, decided by the database."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from privacy import services
from privacy.models import DataExport
from tests.communities.factories import UserFactory


@pytest.mark.django_db
def test_the_database_refuses_a_second_unfinished_export(member):
    DataExport.objects.create(member=member, requested_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        DataExport.objects.create(
            member=member, requested_at=timezone.now(), state=DataExport.State.BUILDING
        )
    # Finished ones do not count.
    DataExport.objects.create(
        member=member, requested_at=timezone.now(), state=DataExport.State.FAILED
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_requests_at_once_make_one_export(monkeypatch):
    member = UserFactory()
    # Only the requests race here; building is tested elsewhere.
    monkeypatch.setattr("privacy.tasks.data_export_build.delay_on_commit", lambda *a: None)
    barrier = threading.Barrier(10)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(services.data_export_request(member=member))
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == 1
    assert len(errors) == 9
    assert all(isinstance(e, services.ExportAlreadyRunning) for e in errors), errors
    assert DataExport.objects.filter(member=member).count() == 1
