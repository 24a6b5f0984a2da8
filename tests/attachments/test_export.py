"""The member's own files are in their data export, nobody else's."""

from __future__ import annotations

import csv
import io

from attachments.services import NewAttachment, attachments_add
from attachments.validation import prepare_upload
from privacy import services
from tests.knowledge.factories import ContributionFactory
from tests.privacy.conftest import open_zip

from . import corpus


def test_the_export_holds_my_files_and_says_where_they_hang(
    community, membership, outsider, django_capture_on_commit_callbacks
):
    member = membership.user
    mine = ContributionFactory(community=community, author=member, title="Mijn verslag")
    theirs = ContributionFactory(community=community, author=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        attachments_add(
            post=mine, by=member, items=[NewAttachment(prepare_upload(corpus.pdf("Mijn.pdf")))]
        )
        attachments_add(
            post=theirs,
            by=outsider,
            items=[NewAttachment(prepare_upload(corpus.pdf("Niet van mij.pdf")))],
        )
    export = services.data_export_request(member=member)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()

    archive = open_zip(export)
    files = [name for name in archive.namelist() if name.startswith("attachments/")]
    assert len(files) == 1 and files[0].endswith("-Mijn.pdf")
    assert archive.read(files[0]).startswith(b"%PDF-")
    rows = list(
        csv.DictReader(
            io.StringIO(archive.read("attachments.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert [(r["file"], r["contribution"]) for r in rows] == [(files[0], "Mijn verslag")]
