"""Meetups in the library and network days with a programme of sessions.

Publishing, RSVP with capacity and waitlist, calendars and reminders build on these models.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel


class Meetup(ClusterableModel):
    class Kind(models.TextChoices):
        MEETUP = "meetup", _("Bijeenkomst")
        NETWORK_DAY = "network_day", _("Netwerkdag")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorstel")
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")
        CANCELLED = "cancelled", _("Afgelast")
        # Hidden by moderation (reports or a moderator); restoring makes it published again.
        HIDDEN = "hidden", _("Verborgen")

    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.MEETUP)
    title = models.CharField(_("titel"), max_length=200)
    description = models.TextField(_("beschrijving"))
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=_("gemeenschap"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetups",
    )
    themes = models.ManyToManyField(
        "communities.Theme", verbose_name=_("thema's"), blank=True, related_name="meetups"
    )
    starts_at = models.DateTimeField(_("begint om"), db_index=True)
    ends_at = models.DateTimeField(_("eindigt om"))
    branch = models.ForeignKey(
        "communities.Branch",
        verbose_name=_("vestiging"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetups",
    )
    address = models.CharField(
        _("ander adres"),
        max_length=255,
        blank=True,
        help_text=_("Als het niet in de bibliotheek is."),
    )
    online_url = models.URLField(_("link om online mee te doen"), blank=True)
    is_hybrid = models.BooleanField(_("ook online te volgen"), default=False)
    accessibility_info = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        help_text=_("Bijvoorbeeld: drempelvrij, ringleiding, tolk gebarentaal."),
    )
    capacity = models.PositiveIntegerField(
        _("aantal plaatsen"), null=True, blank=True, help_text=_("Leeg laten: onbeperkt.")
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisatoren"),
        blank=True,
        related_name="organised_meetups",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voorgesteld door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_meetups",
        help_text=_(
            "Het lid dat deze bijeenkomst voorstelde, als die niet door de organisatie komt."
        ),
    )
    cancellation_note = models.TextField(
        _("toelichting bij het afgelasten"),
        blank=True,
        help_text=_("Gaat mee in het bericht aan wie komt of op de wachtlijst staat."),
    )
    # iCalendar SEQUENCE: raised at every change of time or place, so calendars that imported the
    # meetup replace their copy instead of keeping the old one.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bijeenkomst")
        verbose_name_plural = _("bijeenkomsten")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="meetup_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="meetup_capacity_positive",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "draft", "published", "cancelled", "hidden"]),
                name="meetup_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["meetup", "network_day"]), name="meetup_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetups:meetup_detail", kwargs={"pk": self.pk})

    @property
    def route_address(self) -> str:
        """The street address to plan a route to: the branch's, else the other address."""
        if self.branch is not None:
            return self.branch.address
        return self.address.strip()


class Session(models.Model):
    """A programme item of a network day."""

    meetup = ParentalKey(
        Meetup, verbose_name=_("bijeenkomst"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    room = models.CharField(_("zaal"), max_length=100, blank=True)
    speaker = models.CharField(_("spreker"), max_length=150, blank=True)
    description = models.TextField(_("beschrijving"), blank=True)
    capacity = models.PositiveIntegerField(_("aantal plaatsen"), null=True, blank=True)

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programma")
        ordering = ["starts_at", "room"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    class State(models.TextChoices):
        GOING = "going", _("Ik kom")
        WAITLIST = "waitlist", _("Wachtlijst")
        CANCELLED = "cancelled", _("Afgemeld")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="rsvps")
    state = models.CharField(_("status"), max_length=10, choices=State.choices)
    access_needs = models.TextField(
        _("wat heb je nodig om mee te doen?"),
        blank=True,
        max_length=500,
        help_text=_(
            "Bijvoorbeeld: rolstoelplek, ringleiding, tolk gebarentaal. "
            "Alleen de organisatie ziet dit."
        ),
    )
    checked_in_at = models.DateTimeField(_("aanwezig gemeld om"), null=True, blank=True)
    # Set by the one reminder run that claims this RSVP (a conditional UPDATE), so a beat that
    # fires twice still sends one reminder.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "meetup"], name="rsvp_unique_user_meetup"),
            models.CheckConstraint(
                condition=Q(state__in=["going", "waitlist", "cancelled"]), name="rsvp_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["meetup", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.meetup} ({self.get_state_display()})"


class SessionSignup(models.Model):
    """A member's place in one session of a network day with a capacity of its own."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_signups"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aanmelding voor een programmaonderdeel")
        verbose_name_plural = _("aanmeldingen voor programmaonderdelen")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="session_signup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.session}"


class Report(models.Model):
    """The report (*verslag*) an organiser posts after the meetup, with what came out of it."""

    meetup = models.OneToOneField(
        Meetup, verbose_name=_("bijeenkomst"), on_delete=models.CASCADE, related_name="report"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geschreven door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="meetup_reports",
    )
    body = models.TextField(_("verslag"), help_text=_("Je kunt Markdown gebruiken."))
    body_html = models.TextField(editable=False)
    contributions = models.ManyToManyField(
        "knowledge.Contribution",
        verbose_name=_("bijdragen die eruit voortkwamen"),
        blank=True,
        related_name="meetup_reports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("verslag")
        verbose_name_plural = _("verslagen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return _("Verslag van %(meetup)s") % {"meetup": self.meetup}


class CalendarToken(models.Model):
    """The secret in the address of a member's personal calendar feed.

    Revoking deletes the row, so the old address answers 404 at once; a new token is a new row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agenda-sleutel")
        verbose_name_plural = _("agenda-sleutels")

    def __str__(self) -> str:
        return str(self.user)


class WalkIn(models.Model):
    """Someone without an account who came to the meetup and was registered at the door.

    Minimal data: a name to count and recognise them by, and an email address only when they
    want one (to hear about the report, say). The row belongs to the meetup and goes with it;
    it is never linked to an account. A member who walks in gets an RSVP instead (rsvp_walk_in).
    """

    meetup = models.ForeignKey(
        Meetup, verbose_name=_("bijeenkomst"), on_delete=models.CASCADE, related_name="walk_ins"
    )
    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    checked_in_at = models.DateTimeField(_("aanwezig gemeld om"), auto_now_add=True)

    class Meta:
        verbose_name = _("binnenloper")
        verbose_name_plural = _("binnenlopers")
        ordering = ["checked_in_at", "pk"]

    def __str__(self) -> str:
        return f"{self.shown_name} · {self.meetup}"

    @property
    def shown_name(self) -> str:
        # The retention job (privacy.retention.walk_ins_anonymise) clears the name a while
        # after the meetup; the walk-in still counts as present.
        return self.name or gettext("Binnenloper (naam gewist)")


class SentMessage(models.Model):
    """A copy of a message an organiser sent to the attendees of a meetup, kept on the meetup.

    The recipient count is the number at the moment of sending; who they were is not stored.
    The sender becomes NULL when their account row is deleted; the copy stays.
    """

    meetup = models.ForeignKey(
        Meetup,
        verbose_name=_("bijeenkomst"),
        on_delete=models.CASCADE,
        related_name="sent_messages",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="meetup_messages_sent",
    )
    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht"))
    include_waitlist = models.BooleanField(_("ook aan de wachtlijst"), default=False)
    recipient_count = models.PositiveIntegerField(_("aantal ontvangers"))
    sent_at = models.DateTimeField(_("verstuurd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("verstuurd bericht")
        verbose_name_plural = _("verstuurde berichten")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.subject} · {self.meetup}"
