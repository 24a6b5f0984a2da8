"""The member's own attachments: the files as stored (photos without their metadata, PDFs as
uploaded) and a list saying which post each one belongs to."""

from __future__ import annotations

import logging

from attachments.models import Attachment

from ..registry import ExportArchive, register
from .common import absolute

logger = logging.getLogger(__name__)


@register("attachments.files", covers=["attachments.Attachment.uploaded_by"])
def attachment_files(member, archive: ExportArchive) -> None:
    rows = (
        Attachment.objects.filter(uploaded_by=member)
        .select_related("contribution", "comment__contribution")
        .order_by("created_at", "pk")
    )
    listed = []
    for attachment in rows.iterator(chunk_size=200):
        # The number keeps two files called "foto.jpg" apart.
        path = f"attachments/{attachment.pk}-{attachment.original_name}"
        try:
            with attachment.file.storage.open(attachment.file.name, "rb") as source:
                archive.write_file(path, source)
        except OSError:
            logger.warning("attachment %s is missing from storage; left out", attachment.pk)
            path = ""
        contribution = attachment.contribution or attachment.comment.contribution
        listed.append(
            [
                path,
                attachment.kind,
                attachment.alt_text,
                attachment.size,
                "comment" if attachment.comment_id else "contribution",
                attachment.comment_id,
                contribution.title,
                absolute(contribution.get_absolute_url()),
                attachment.created_at,
            ]
        )
    if listed:
        archive.write_csv(
            "attachments.csv",
            [
                "file",
                "kind",
                "description",
                "size",
                "on",
                "comment_id",
                "contribution",
                "contribution_url",
                "created_at",
            ],
            listed,
        )
