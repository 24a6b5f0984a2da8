"""Every write to attachments. Called by the knowledge services inside the transaction that
posts, edits or deletes the contribution or comment, so a post and its files stand or fall
together:

- new files are written to storage only once that transaction commits (`on_commit`); a post
  that fails (a rate limit, a duplicate, a database error) leaves nothing behind;
- files of a removed attachment leave storage once the removal is committed (receivers.py,
  for every door: these services, a cascade from a deleted post, community or the admin).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import User
from kenniscloud.common.cache import anonymous_pages_changed
from knowledge.models import Comment, Contribution

from .models import Attachment
from .validation import IMAGE, PreparedUpload


@dataclass(frozen=True)
class NewAttachment:
    upload: PreparedUpload
    alt_text: str = ""


def _random_stem() -> str:
    # attachments/2026/12/<32 random characters>: no member's name, no title, nothing to guess.
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}"


def _write_files(files: list[tuple[str, bytes]]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name, data in files:
        saved = storage.save(name, ContentFile(data))
        if saved != name:  # pragma: no cover - 192 random bits do not collide
            raise RuntimeError(f"attachment name taken: {name}")


def _check_count(post: Contribution | Comment, adding: int) -> None:
    limit = settings.ATTACHMENTS_MAX_PER_POST
    if post.attachments.count() + adding > limit:
        raise ValidationError(
            _("Je kunt hooguit %(limit)d bestanden toevoegen.") % {"limit": limit},
            code="attachments_too_many",
        )


@transaction.atomic
def attachments_add(
    *, post: Contribution | Comment, by: User, items: list[NewAttachment]
) -> list[Attachment]:
    """Attach checked files (validation.prepare_upload) to `post`. The caller has checked
    that `by` may write `post` (the posting services); rows now, files on commit."""
    if not items:
        return []
    if by.pk != post.author_id:
        raise PermissionDenied
    _check_count(post, len(items))
    target = {"contribution": post} if isinstance(post, Contribution) else {"comment": post}
    position = max((a.position for a in post.attachments.all()), default=-1) + 1
    created, files = [], []
    for offset, item in enumerate(items):
        upload = item.upload
        alt_text = item.alt_text.strip()
        if upload.kind == IMAGE and not alt_text:
            raise ValidationError(_("Beschrijf wat er op elke foto te zien is."))
        stem = _random_stem()
        renditions = []
        for rendition in upload.renditions:
            name = f"{stem}-{rendition.width}.{upload.extension}"
            renditions.append({"width": rendition.width, "height": rendition.height, "name": name})
            files.append((name, rendition.data))
        attachment = Attachment(
            **target,
            uploaded_by=by,
            kind=upload.kind,
            content_type=upload.content_type,
            original_name=upload.original_name,
            alt_text=alt_text if upload.kind == IMAGE else "",
            size=len(upload.data),
            width=upload.width,
            height=upload.height,
            renditions=renditions,
            position=position + offset,
        )
        attachment.file.name = f"{stem}.{upload.extension}"
        files.append((attachment.file.name, upload.data))
        attachment.full_clean(exclude=["contribution", "comment", "uploaded_by"])
        created.append(attachment)
    Attachment.objects.bulk_create(created)
    anonymous_pages_changed()  # bulk_create sends no signal; the gallery shows on public pages
    transaction.on_commit(partial(_write_files, files))
    return created


@transaction.atomic
def attachments_remove(*, post: Contribution | Comment, by: User, keys: list[str]) -> int:
    """Remove the author's own attachments from `post`; their files go on commit."""
    if not keys:
        return 0
    if by.pk != post.author_id:
        raise PermissionDenied
    removed = 0
    # delete() per row, not a bulk delete: each row's files go (receivers.py).
    for attachment in post.attachments.filter(key__in=keys):
        attachment.delete()
        removed += 1
    return removed


@transaction.atomic
def attachments_delete_all(*, post: Contribution | Comment) -> None:
    """When the words of a post go (a comment deleted by its author), its files go too."""
    for attachment in post.attachments.all():
        attachment.delete()
