"""Data exports: request, build, expire. Every write of the privacy app goes through here."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from communities.models import User

from . import registry
from .models import DataExport

logger = logging.getLogger(__name__)

# A build that started this long ago and never finished had its worker die (the task's hard
# time limit is far shorter): it may be claimed again, and the purge marks it failed.
BUILD_STALE_AFTER = dt.timedelta(minutes=10)
# A request never picked up within this long (the broker lost it) is marked failed too, so
# the member is not stuck with "aangevraagd" and can ask again.
PENDING_STALE_AFTER = dt.timedelta(days=1)


class ExportAlreadyRunning(ValidationError):
    pass


def data_export_request(*, member: User, now: dt.datetime | None = None) -> DataExport:
    """Ask for a new export; the zip is built by a task after commit.

    The partial unique constraint allows one unfinished export per member: a second request
    while one is being built (two tabs, a double click, two requests at the same moment)
    is refused with a message, and nothing is stored.
    """
    from .tasks import data_export_build

    now = now or timezone.now()
    try:
        with transaction.atomic():
            export = DataExport.objects.create(member=member, requested_at=now)
    except IntegrityError as error:
        raise ExportAlreadyRunning(
            _("We maken je download al. Je krijgt een e-mail zodra hij klaar is."),
            code="already_running",
        ) from error
    data_export_build.delay_on_commit(export.pk)
    return export


def _claim(export_id: int, now: dt.datetime) -> bool:
    """Take the export for this build; False when another build has it or it is done."""
    return bool(
        DataExport.objects.filter(pk=export_id)
        .filter(
            Q(state=DataExport.State.PENDING)
            | Q(state=DataExport.State.BUILDING, started_at__lt=now - BUILD_STALE_AFTER)
        )
        .update(state=DataExport.State.BUILDING, started_at=now)
    )


def data_export_build(*, export_id: int, now: dt.datetime | None = None) -> DataExport | None:
    """Build the zip of a pending export and store it privately; queue the mail.

    Safe to run twice: only one run claims the row. A part that fails marks the export failed
    (the member sees it and may ask again) rather than handing over an incomplete zip.
    """
    from .tasks import data_export_mail

    now = now or timezone.now()
    if not _claim(export_id, now):
        logger.info("data export %s is not pending; nothing to build", export_id)
        return None
    export = DataExport.objects.select_related("member").get(pk=export_id)
    try:
        with tempfile.TemporaryFile() as spool:
            _write_zip(export.member, spool, now=now)
            size = spool.tell()
            spool.seek(0)
            export.file.save("export.zip", File(spool), save=False)
    except Exception:
        logger.exception("data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            state=DataExport.State.FAILED, finished_at=timezone.now()
        )
        return None
    finished = timezone.now()
    with transaction.atomic():
        export.state = DataExport.State.READY
        export.finished_at = finished
        export.expires_at = finished + dt.timedelta(days=settings.DATA_EXPORT_DAYS)
        export.size = size
        export.save(update_fields=["state", "finished_at", "expires_at", "size", "file"])
        # One zip per member: an earlier one is replaced by the new one.
        for older in DataExport.objects.filter(
            member_id=export.member_id, state=DataExport.State.READY
        ).exclude(pk=export.pk):
            _expire(older)
        data_export_mail.delay_on_commit(export.pk)
    return export


def _write_zip(member: User, target, *, now: dt.datetime) -> None:
    """Every registered part, then a read-me listing what is in it, in the member's language."""
    with (
        translation.override(member.language or settings.LANGUAGE_CODE),
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zip_file,
    ):
        archive = registry.ExportArchive(zip_file, now=now)
        for part in registry.parts():
            part.write(member, archive)
        readme = render_to_string(
            "privacy/export_readme.txt",
            {
                "member": member,
                "now": now,
                "paths": sorted(archive.paths),
                "days": settings.DATA_EXPORT_DAYS,
                "SITE_URL": settings.SITE_URL,
            },
        )
        archive.write_text("LEESMIJ.txt", readme)


def _expire(export: DataExport) -> None:
    """Delete the file (once the surrounding transaction commits) and keep the row as expired."""
    name = export.file.name
    storage = export.file.storage
    DataExport.objects.filter(pk=export.pk).update(state=DataExport.State.EXPIRED, file="")
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def data_export_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Beat: delete the zips past their end, and give up on builds whose worker died.

    Idempotent: an expired export has no file left, and a second run finds nothing.
    """
    now = now or timezone.now()
    expired = 0
    with transaction.atomic():
        due = DataExport.objects.select_for_update(skip_locked=True).filter(
            state=DataExport.State.READY, expires_at__lte=now
        )
        for export in due:
            _expire(export)
            expired += 1
    failed = DataExport.objects.filter(
        state=DataExport.State.BUILDING, started_at__lt=now - BUILD_STALE_AFTER
    ).update(state=DataExport.State.FAILED, finished_at=now)
    failed += DataExport.objects.filter(
        state=DataExport.State.PENDING, requested_at__lt=now - PENDING_STALE_AFTER
    ).update(state=DataExport.State.FAILED, finished_at=now)
    if expired or failed:
        logger.info("data exports: %s expired, %s given up", expired, failed)
    return {"expired": expired, "failed": failed}
