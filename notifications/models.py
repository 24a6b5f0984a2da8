"""What members want to hear about, and the record of every digest sent.

Preferences live in rows that exist only once a member changed something: a member without a
`NotificationPreferences` row gets the weekly digest and reply mails, and a membership without a
`CommunityFollow` row is followed at `CommunityFollow.DEFAULT_LEVEL`. The selectors apply those
defaults, so 100 000 members need no rows until they choose.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Elke dag")
    WEEKLY = "weekly", _("Eén keer per week")
    OFF = "off", _("Nooit")


class NotificationPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    digest_frequency = models.CharField(
        _("overzicht per e-mail"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    # Read by the reply and mention mails (built on these models later); the digest ignores it.
    reply_mail = models.BooleanField(
        _("mail me als iemand reageert op mijn bijdrage of reactie, of mij noemt"),
        default=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("voorkeuren voor meldingen")
        verbose_name_plural = _("voorkeuren voor meldingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(digest_frequency__in=["daily", "weekly", "off"]),
                name="notification_preferences_frequency_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class CommunityFollow(models.Model):
    """How closely a member follows a community they belong to."""

    class Level(models.TextChoices):
        ALL = "all", _("Alle activiteit")
        DIGEST = "digest", _("Alleen in het overzicht")
        MUTED = "muted", _("Gedempt")

    DEFAULT_LEVEL = Level.DIGEST

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        on_delete=models.CASCADE,
        related_name="community_follows",
    )
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("gemeenschap"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    level = models.CharField(
        _("volgen"), max_length=10, choices=Level.choices, default=DEFAULT_LEVEL
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("gevolgde gemeenschap")
        verbose_name_plural = _("gevolgde gemeenschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="community_follow_unique_user_community"
            ),
            models.CheckConstraint(
                condition=Q(level__in=["all", "digest", "muted"]),
                name="community_follow_level_valid",
            ),
        ]
        indexes = [models.Index(fields=["community", "level"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.community} ({self.level})"


class ThemeFollow(models.Model):
    """A member follows a theme without joining anything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="theme_follows"
    )
    theme = models.ForeignKey("communities.Theme", on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gevolgd thema")
        verbose_name_plural = _("gevolgde thema's")
        constraints = [
            models.UniqueConstraint(fields=["user", "theme"], name="theme_follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.theme}"


class RegionFollow(models.Model):
    """A member follows a region (besides their own) without joining anything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_follows"
    )
    region = models.ForeignKey(
        "communities.Region", on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gevolgde regio")
        verbose_name_plural = _("gevolgde regio's")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="region_follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.region}"


class DigestDelivery(models.Model):
    """One digest for one member and one period: the unit of exactly-once delivery.

    The planner creates the rows (pending) in bulk; the unique constraint makes a second run of
    the same period create nothing. A sender claims a row before SMTP (state sending, attempts
    raised and committed) and marks it sent in the transaction that holds the row lock during
    SMTP; see `notifications.delivery` for the protocol and its one remaining window.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Wacht")
        SENDING = "sending", _("Wordt verstuurd")
        SENT = "sent", _("Verstuurd")
        SKIPPED = "skipped", _("Niet nodig")
        FAILED = "failed", _("Mislukt")

    OPEN_STATES = (State.PENDING, State.SENDING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
    )
    frequency = models.CharField(_("frequentie"), max_length=10, choices=DigestFrequency.choices)
    # "weekly:2025-03-10": the frequency and the local date the period ends (at DIGEST_HOUR).
    period_key = models.CharField(_("periode"), max_length=32)
    period_start = models.DateTimeField(_("vanaf"))
    period_end = models.DateTimeField(_("tot"))
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When a batch last leased the row or a sender claimed it; the sweep re-queues open rows
    # whose lease is stale (notifications.delivery).
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("verzonden overzicht")
        verbose_name_plural = _("verzonden overzichten")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "period_key"], name="digest_delivery_unique_member_period"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sending", "sent", "skipped", "failed"]),
                name="digest_delivery_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=["daily", "weekly"]),
                name="digest_delivery_frequency_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="digest_delivery_period_valid",
            ),
        ]
        indexes = [models.Index(fields=["period_key", "state"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.period_key} ({self.state})"


class MailAddressStatus(models.Model):
    """Permanent delivery failures of one address; at `BLOCK_AFTER` in a row we stop mailing it.

    Keyed by the address, not the member: a member who changes to a working address gets mail
    again, and the flag shows on their preferences page until then.
    """

    BLOCK_AFTER = 3

    email = models.EmailField(_("e-mailadres"), unique=True)  # stored lower-cased
    permanent_failures = models.PositiveSmallIntegerField(_("mislukt op rij"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    last_failed_at = models.DateTimeField(_("laatst mislukt"), null=True, blank=True)
    blocked_at = models.DateTimeField(_("geblokkeerd sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("status van een e-mailadres")
        verbose_name_plural = _("status van e-mailadressen")

    def __str__(self) -> str:
        return self.email

    @property
    def is_blocked(self) -> bool:
        return self.blocked_at is not None


class Notification(models.Model):
    """One thing that happened that one member should hear about, shown at /meldingen/.

    The target is held by explicit nullable foreign keys (a check constraint says which ones
    each kind needs), so the list page joins what it shows and a deleted target takes its
    notifications with it. `title` and `excerpt` are snapshots taken when it happened: the list
    reads as it did then, without loading the targets. The unique constraints make each event
    notify each member once, whichever task or retry creates it; writers `bulk_create` with
    `ignore_conflicts`.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Reactie op je bijdrage")
        REPLY = "reply", _("Antwoord op je reactie")
        MENTION = "mention", _("Je werd genoemd")
        NEW_CONTRIBUTION = "new_contribution", _("Nieuwe bijdrage")
        MEETUP_CHANGED = "meetup_changed", _("Bijeenkomst gewijzigd")
        MEETUP_CANCELLED = "meetup_cancelled", _("Bijeenkomst gaat niet door")
        MEMBERSHIP_APPROVED = "membership_approved", _("Lidmaatschap goedgekeurd")
        MEMBERSHIP_DECLINED = "membership_declined", _("Lidmaatschap afgewezen")
        # Moderation (issue 11); all point at the moderation case.
        CASE_REPORTED = "case_reported", _("Er is iets gemeld")
        REPORT_DECIDED = "report_decided", _("Besluit over je melding")
        CONTENT_HIDDEN = "content_hidden", _("Je bijdrage is verborgen")
        CONTENT_RESTORED = "content_restored", _("Je bijdrage is teruggezet")
        CONTENT_DELETED = "content_deleted", _("Je bijdrage is verwijderd")
        MODERATION_WARNING = "moderation_warning", _("Waarschuwing van een moderator")
        # Pre-moderation; they point at the contribution (and the comment, for a comment).
        AWAITING_APPROVAL = "awaiting_approval", _("Wacht op je goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REJECTED = "rejected", _("Niet goedgekeurd")

    class Mail(models.TextChoices):
        NONE = "none", _("Geen mail")
        PENDING = "pending", _("Wacht op mail")
        SENT = "sent", _("Gemaild")
        SKIPPED = "skipped", _("Niet gemaild")

    # Kinds that may go out as a (throttled, bundled) reply mail.
    MAIL_KINDS = (Kind.COMMENT, Kind.REPLY, Kind.MENTION)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voor"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("soort"), max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
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
        on_delete=models.CASCADE,
        related_name="+",
    )
    contribution = models.ForeignKey(
        "knowledge.Contribution",
        verbose_name=_("bijdrage"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    comment = models.ForeignKey(
        "knowledge.Comment",
        verbose_name=_("reactie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    meetup = models.ForeignKey(
        "meetups.Meetup",
        verbose_name=_("bijeenkomst"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    case = models.ForeignKey(
        "moderation.Case",
        verbose_name=_("melding"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Which version of the meetup the change notice is about: every change raises it.
    meetup_sequence = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(_("over"), max_length=200)
    excerpt = models.CharField(_("fragment"), max_length=300, blank=True)
    # A path without language prefix; the view sends English readers to the /en/ one.
    url = models.CharField(_("adres"), max_length=300)
    created_at = models.DateTimeField(_("gemaakt"), auto_now_add=True)
    read_at = models.DateTimeField(_("gelezen"), null=True, blank=True)
    mail = models.CharField(_("mail"), max_length=10, choices=Mail.choices, default=Mail.NONE)
    mailed_at = models.DateTimeField(_("gemaild"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "comment",
                        "reply",
                        "mention",
                        "new_contribution",
                        "meetup_changed",
                        "meetup_cancelled",
                        "membership_approved",
                        "membership_declined",
                        "case_reported",
                        "report_decided",
                        "content_hidden",
                        "content_restored",
                        "content_deleted",
                        "moderation_warning",
                        "awaiting_approval",
                        "approved",
                        "rejected",
                    ]
                ),
                name="notification_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(mail__in=["none", "pending", "sent", "skipped"]),
                name="notification_mail_valid",
            ),
            # What each kind points at.
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["comment", "reply"], comment__isnull=False)
                    | Q(kind="mention", contribution__isnull=False)
                    | Q(kind="new_contribution", contribution__isnull=False, comment__isnull=True)
                    | Q(
                        kind__in=["meetup_changed", "meetup_cancelled"],
                        meetup__isnull=False,
                        meetup_sequence__isnull=False,
                    )
                    | Q(
                        kind__in=["membership_approved", "membership_declined"],
                        community__isnull=False,
                    )
                    | Q(
                        kind__in=[
                            "case_reported",
                            "report_decided",
                            "content_hidden",
                            "content_restored",
                            "content_deleted",
                            "moderation_warning",
                        ],
                        case__isnull=False,
                    )
                    | Q(
                        kind__in=["awaiting_approval", "approved", "rejected"],
                        contribution__isnull=False,
                    )
                ),
                name="notification_target_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(mail="none")
                | Q(kind__in=["comment", "reply", "mention", "case_reported"]),
                name="notification_mail_only_for_replies_and_mentions",
            ),
            # A comment notifies each member once: a reply that also mentions you is one event.
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(comment__isnull=False),
                name="notification_unique_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "contribution"],
                condition=Q(comment__isnull=True, contribution__isnull=False),
                name="notification_unique_per_contribution",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "case"],
                condition=Q(case__isnull=False),
                name="notification_unique_per_case",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "meetup", "meetup_sequence"],
                condition=Q(meetup__isnull=False),
                name="notification_unique_per_meetup_change",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            # The bell counts these; read rows are the bulk and stay out of the index.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(mail="pending"),
                name="notification_mail_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.kind} · {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def sentence(self) -> str:
        """What happened, in the active language. Select `actor` and `community` with it."""
        actor = self.actor.public_name if self.actor_id and self.actor else _("Iemand")
        community = self.community.title if self.community_id and self.community else ""
        sentence = _SENTENCES[self.kind]
        if self.kind == self.Kind.CASE_REPORTED and not community:
            # A member's profile belongs to no community.
            sentence = _('Er is iets gemeld: "%(title)s"')
        return str(sentence) % {
            "actor": actor,
            "title": self.title,
            "community": community,
        }


_SENTENCES = {
    Notification.Kind.COMMENT: _('%(actor)s reageerde op je bijdrage "%(title)s"'),
    Notification.Kind.REPLY: _('%(actor)s antwoordde op je reactie bij "%(title)s"'),
    Notification.Kind.MENTION: _('%(actor)s noemde je bij "%(title)s"'),
    Notification.Kind.NEW_CONTRIBUTION: _('%(actor)s plaatste "%(title)s" in %(community)s'),
    Notification.Kind.MEETUP_CHANGED: _('De bijeenkomst "%(title)s" is gewijzigd'),
    Notification.Kind.MEETUP_CANCELLED: _('De bijeenkomst "%(title)s" gaat niet door'),
    Notification.Kind.MEMBERSHIP_APPROVED: _(
        "Je aanvraag is goedgekeurd: je bent lid van %(title)s"
    ),
    Notification.Kind.MEMBERSHIP_DECLINED: _(
        "Je aanvraag om lid te worden van %(title)s is afgewezen"
    ),
    Notification.Kind.CASE_REPORTED: _('Er is iets gemeld in %(community)s: "%(title)s"'),
    Notification.Kind.REPORT_DECIDED: _('Er is besloten over je melding van "%(title)s"'),
    Notification.Kind.CONTENT_HIDDEN: _('"%(title)s" is verborgen door de moderatie'),
    Notification.Kind.CONTENT_RESTORED: _('"%(title)s" is weer zichtbaar'),
    Notification.Kind.CONTENT_DELETED: _('"%(title)s" is verwijderd door de moderatie'),
    Notification.Kind.MODERATION_WARNING: _('Een moderator waarschuwt je over "%(title)s"'),
    Notification.Kind.AWAITING_APPROVAL: _('"%(title)s" in %(community)s wacht op goedkeuring'),
    Notification.Kind.APPROVED: _('"%(title)s" is goedgekeurd en staat nu online'),
    Notification.Kind.REJECTED: _('"%(title)s" is niet goedgekeurd'),
}


class ReplyMailState(models.Model):
    """Per member: when the last reply mail went out. Its row lock settles who sends the next.

    A sender locks this row (`select_for_update`) before it reads the pending notifications and
    keeps the lock until they are marked sent, so two runs for one member send one mail.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="reply_mail_state",
    )
    last_sent_at = models.DateTimeField(_("laatste mail"), null=True, blank=True)
    # When a delayed send is queued for (the window opens); None when nothing is queued.
    scheduled_for = models.DateTimeField(_("volgende mail gepland"), null=True, blank=True)

    class Meta:
        verbose_name = _("mail over reacties")
        verbose_name_plural = _("mail over reacties")

    def __str__(self) -> str:
        return str(self.user)
