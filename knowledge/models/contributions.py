"""What people know and share: contributions, comments and appreciations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager


class Contribution(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Vraag")
        EXPERIENCE = "experience", _("Ervaring")
        IDEA = "idea", _("Idee")
        SOURCE = "source", _("Bron")
        REPORT = "report", _("Verslag")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Gepubliceerd")
        HIDDEN = "hidden", _("Verborgen")
        # Pre-moderation (issue 11): waits for a host's approval; reaches nobody until then.
        PENDING = "pending", _("Wacht op goedkeuring")

    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("gemeenschap"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), help_text=_("Je kunt Markdown gebruiken."))
    body_html = models.TextField(editable=False, default="")
    tags = TaggableManager(verbose_name=_("trefwoorden"), blank=True)
    themes = models.ManyToManyField(
        "communities.Theme", verbose_name=_("thema's"), blank=True, related_name="contributions"
    )
    source_url = models.URLField(_("link naar bron"), max_length=500, blank=True)
    # Knowledge structure (issue 14): an experience may be written in parts. Each part is
    # Markdown like the body; `parts_html` holds them rendered, under their headings.
    part_situation = models.TextField(_("situatie of probleem"), blank=True, max_length=5000)
    part_approach = models.TextField(_("aanpak"), blank=True, max_length=5000)
    part_result = models.TextField(_("resultaat"), blank=True, max_length=5000)
    part_lessons = models.TextField(_("lessen"), blank=True, max_length=5000)
    part_sources = models.TextField(_("bronnen"), blank=True, max_length=5000)
    parts_html = models.TextField(editable=False, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    featured = models.BooleanField(_("uitgelicht"), default=False)
    # Set when a comment is marked as the answer; cleared when the last mark is withdrawn.
    # Open questions are the questions without it.
    answered_at = models.DateTimeField(_("beantwoord op"), null=True, blank=True)
    created_at = models.DateTimeField(_("geplaatst"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    # Set only when the author (or a host) changes the text, not by a status change.
    edited_at = models.DateTimeField(_("bewerkt op"), null=True, blank=True)
    # The language the text is written in, so that pages in another language mark it (lang).
    # Set at posting from the author's interface language (`User.language`): a member who uses
    # the site in English most likely writes English. Existing posts are Dutch.
    language = models.CharField(
        _("taal van de tekst"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("bijdrage")
        verbose_name_plural = _("bijdragen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["question", "experience", "idea", "source", "report"]),
                name="contribution_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["published", "hidden", "pending"]),
                name="contribution_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "-created_at"]),
            models.Index(
                fields=["community", "created_at"],
                condition=Q(kind="question", answered_at__isnull=True, status="published"),
                name="contribution_open_questions",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:contribution_detail", kwargs={"pk": self.pk})

    @property
    def is_hidden(self) -> bool:
        return self.status == self.Status.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class Comment(models.Model):
    """A remark on a contribution; replies go one level deep (the service enforces it)."""

    contribution = models.ForeignKey(
        Contribution,
        verbose_name=_("bijdrage"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reactie op"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    body = models.TextField(_("reactie"))
    body_html = models.TextField(editable=False, default="")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Contribution.Status.choices,
        default=Contribution.Status.PUBLISHED,
    )
    deleted_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)
    # Marked as (one of) the answers to a question by its author or a host.
    answer_marked_at = models.DateTimeField(_("als antwoord gemarkeerd op"), null=True, blank=True)
    answer_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("als antwoord gemarkeerd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("geplaatst"), auto_now_add=True)
    updated_at = models.DateTimeField(_("bijgewerkt"), auto_now=True)
    edited_at = models.DateTimeField(_("bewerkt op"), null=True, blank=True)
    # As Contribution.language: the author's interface language at posting.
    language = models.CharField(
        _("taal van de tekst"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["published", "hidden", "pending"]),
                name="comment_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} · {self.contribution}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.status == Contribution.Status.HIDDEN

    @property
    def is_pending(self) -> bool:
        return self.status == Contribution.Status.PENDING


class Appreciation(models.Model):
    """'Waardevol': one per person per contribution or comment."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appreciations"
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.CASCADE, related_name="appreciations"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="appreciations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("waardering")
        verbose_name_plural = _("waarderingen")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(contribution__isnull=False, comment__isnull=True)
                    | Q(contribution__isnull=True, comment__isnull=False)
                ),
                name="appreciation_exactly_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "contribution"],
                condition=Q(contribution__isnull=False),
                name="appreciation_unique_contribution",
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="appreciation_unique_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.contribution or self.comment}"


class ContributionRevision(models.Model):
    """The text of a contribution as it was before an edit; only its author (and hosts) see it."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="revisions"
    )
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"), blank=True)
    # The parts as they were, keyed by field name (part_situation, ...).
    parts = models.JSONField(_("delen"), default=dict, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("opgeslagen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("eerdere versie van een bijdrage")
        verbose_name_plural = _("eerdere versies van bijdragen")
        ordering = ["-saved_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.saved_at:%Y-%m-%d %H:%M})"


class CommentRevision(models.Model):
    """The text of a comment as it was before an edit."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("reactie"))
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(_("opgeslagen op"), auto_now_add=True)

    class Meta:
        verbose_name = _("eerdere versie van een reactie")
        verbose_name_plural = _("eerdere versies van reacties")
        ordering = ["-saved_at"]

    def __str__(self) -> str:
        return f"{self.comment} ({self.saved_at:%Y-%m-%d %H:%M})"
