"""Trust and moderation: reports by residents, the cases moderators decide, and the log.

One `Case` per reported object (Discourse's Reviewable): reports gather on it, it is what the
review queues list, and its row lock settles who counts as the third distinct reporter. The
object is generic (a contribution, comment, meetup or member), with the community and library
it belongs to copied onto the case so that queues are scoped by plain indexed columns.

`ModerationAction` is the moderation log: append-only, one row per act of a person or of the
rules (auto-hide), never shown with reporters' names to authors.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Afgehandeld")

    class Decision(models.TextChoices):
        NONE = "", _("Nog niet besloten")
        DISMISSED = "dismissed", _("Geen actie nodig")
        HIDDEN = "hidden", _("Verborgen")
        RESTORED = "restored", _("Teruggezet")
        DELETED = "deleted", _("Verwijderd")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # Copied from the object when the case opens: who may see and act on it.
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("gemeenschap"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    library = models.ForeignKey(
        "communities.Library",
        verbose_name=_("bibliotheek"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The person whose content or profile it is (None once their account is gone).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(_("status"), max_length=8, choices=State.choices, default=State.OPEN)
    decision = models.CharField(
        _("besluit"), max_length=10, choices=Decision.choices, default="", blank=True
    )
    # The reason a moderator gives when hiding: the author sees it.
    reason = models.TextField(_("reden"), blank=True, max_length=2000)
    # Hidden by the rules (three trusted reporters), pending a moderator's decision.
    auto_hidden = models.BooleanField(_("automatisch verborgen"), default=False)
    # The object's status before it was hidden, so that restoring puts it back as it was.
    status_before = models.CharField(max_length=10, blank=True, editable=False)
    report_count = models.PositiveIntegerField(_("meldingen"), default=0)
    opened_at = models.DateTimeField(_("geopend"))
    decided_at = models.DateTimeField(_("besloten"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("besloten door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="moderation_case_one_per_object"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "closed"]), name="moderation_case_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "dismissed", "hidden", "restored", "deleted"]),
                name="moderation_case_decision_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "community", "-opened_at"], name="mod_case_queue"),
            models.Index(fields=["state", "library", "-opened_at"], name="mod_case_library"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"


class Report(models.Model):
    """One resident's report of one object: once per person and object."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam of reclame")
        OFFENSIVE = "offensive", _("Kwetsend of beledigend")
        DOES_NOT_BELONG = "does_not_belong", _("Hoort hier niet")
        ILLEGAL = "illegal", _("Verboden door de wet")
        OTHER = "other", _("Iets anders")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gemeld door"),
        on_delete=models.CASCADE,
        related_name="reports_made",
    )
    reason = models.CharField(_("reden"), max_length=16, choices=Reason.choices)
    note = models.TextField(
        _("toelichting voor de moderatoren"),
        blank=True,
        max_length=1000,
        help_text=_("Niet verplicht. Alleen moderatoren lezen dit."),
    )
    # Whether this report counted towards auto-hide (a trusted member, judged when made).
    trusted = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("gemeld op"))

    class Meta:
        verbose_name = _("melding van een lid")
        verbose_name_plural = _("meldingen van leden")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "reporter"], name="moderation_report_once"),
            models.CheckConstraint(
                condition=Q(
                    reason__in=["spam", "offensive", "does_not_belong", "illegal", "other"]
                ),
                name="moderation_report_reason_valid",
            ),
        ]
        indexes = [models.Index(fields=["reporter", "-created_at"], name="mod_report_by_day")]

    def __str__(self) -> str:
        return f"{self.reporter} · {self.case}"


class ModerationAction(models.Model):
    """The moderation log: who did what, when, why, on which object. Append-only."""

    class Action(models.TextChoices):
        AUTO_HIDE = "auto_hide", _("Automatisch verborgen na meldingen")
        DISMISS = "dismiss", _("Melding afgewezen")
        HIDE = "hide", _("Verborgen")
        RESTORE = "restore", _("Teruggezet")
        DELETE = "delete", _("Verwijderd")
        WARN = "warn", _("Gewaarschuwd")
        SUSPEND = "suspend", _("Account geschorst")
        UNSUSPEND = "unsuspend", _("Schorsing opgeheven")
        BLOCK = "block", _("Uit gemeenschap verwijderd en geblokkeerd")
        UNBLOCK = "unblock", _("Blokkade opgeheven")
        APPROVE = "approve", _("Goedgekeurd")
        REJECT = "reject", _("Afgewezen")

    action = models.CharField(_("actie"), max_length=10, choices=Action.choices)
    # None: the rules did it (auto-hide), or the moderator's account is gone.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What the object was called when the action was taken: the log outlives the object.
    object_repr = models.CharField(_("onderwerp"), max_length=200, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("betreft lid"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("gemeenschap"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    library = models.ForeignKey(
        "communities.Library",
        verbose_name=_("bibliotheek"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reden"), blank=True)
    created_at = models.DateTimeField(_("op"), db_index=True)

    class Meta:
        verbose_name = _("moderatieactie")
        verbose_name_plural = _("moderatielog")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    action__in=[
                        "auto_hide",
                        "dismiss",
                        "hide",
                        "restore",
                        "delete",
                        "warn",
                        "suspend",
                        "unsuspend",
                        "block",
                        "unblock",
                        "approve",
                        "reject",
                    ]
                ),
                name="moderation_action_valid",
            ),
        ]
        indexes = [models.Index(fields=["library", "-created_at"], name="mod_log_library")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.object_repr}"
