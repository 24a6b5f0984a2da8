"""Files members attach to contributions and comments: photos and PDFs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from privacy.storage import private_storage


class Attachment(models.Model):
    """One photo or PDF on a contribution or a comment (exactly one of the two).

    The file lives in private storage (PRIVATE_MEDIA_ROOT, outside /media/) under a random
    name; it reaches readers only through `attachments.views.attachment_file`, which asks the
    same question as the page it hangs on: may this visitor see that post?
    """

    class Kind(models.TextChoices):
        IMAGE = "image", _("Foto")
        PDF = "pdf", _("PDF")

    # In addresses instead of the id: nobody learns how many files there are.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    contribution = models.ForeignKey(
        "knowledge.Contribution",
        verbose_name=_("bijdrage"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    comment = models.ForeignKey(
        "knowledge.Comment",
        verbose_name=_("reactie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geplaatst door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    kind = models.CharField(_("soort"), max_length=5, choices=Kind.choices)
    file = models.FileField(_("bestand"), storage=private_storage, max_length=200)
    content_type = models.CharField(_("bestandstype"), max_length=40)
    # The member's name for the file, cleaned (validation.clean_name): shown, never stored on.
    original_name = models.CharField(_("bestandsnaam"), max_length=120)
    alt_text = models.CharField(_("beschrijving van de foto"), max_length=250, blank=True)
    size = models.PositiveIntegerField(_("grootte in bytes"))
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    # Smaller copies of an image: [{"width": 320, "height": 240, "name": "..."}, ...], narrow
    # to wide. Empty for a PDF and for an image already narrower than the first width.
    renditions = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("geplaatst"), auto_now_add=True)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contribution__isnull=False, comment__isnull=True)
                | Q(contribution__isnull=True, comment__isnull=False),
                name="attachment_on_one_post",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["image", "pdf"]), name="attachment_kind_valid"
            ),
            # A photo without a description is not taken (WCAG 1.1.1).
            models.CheckConstraint(
                condition=~Q(kind="image") | ~Q(alt_text=""), name="attachment_image_has_alt"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("attachments:file", kwargs={"key": self.key})

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    def file_names(self) -> list[str]:
        """Every file in storage that belongs to this attachment."""
        return [self.file.name, *(r["name"] for r in self.renditions)]

    def rendition_url(self, width: int) -> str:
        return reverse("attachments:rendition", kwargs={"key": self.key, "width": width})

    @property
    def srcset(self) -> str:
        """Every copy with its width, for <img srcset>; the browser picks."""
        copies = [(self.rendition_url(r["width"]), r["width"]) for r in self.renditions]
        copies.append((self.get_absolute_url(), self.width or 0))
        return ", ".join(f"{url} {width}w" for url, width in copies)

    @property
    def preview(self) -> dict:
        """The copy for the gallery: the one near 640 pixels wide, else the image itself."""
        middle = self.rendition_for(640)
        if middle:
            return {**middle, "url": self.rendition_url(640)}
        return {"width": self.width, "height": self.height, "url": self.get_absolute_url()}

    @property
    def thumbnail_url(self) -> str:
        small = self.thumbnail()
        return self.rendition_url(small["width"]) if small else self.get_absolute_url()

    def rendition_for(self, width: int) -> dict | None:
        return next((r for r in self.renditions if r["width"] == width), None)

    def thumbnail(self) -> dict | None:
        """The smallest copy, for lists and the digest; None: the image itself is small."""
        return self.renditions[0] if self.renditions else None
