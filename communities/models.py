"""Who takes part and where: members, libraries, branches, regions, themes and communities."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .avatars import AvatarField

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Gebruik een kleur als #1a5f7a."))


def display_name_is_reserved(name: str) -> bool:
    """Whether `name` is the name deleted accounts are shown under ("Verwijderd lid", or its
    translation "Deleted member"), ignoring case and spaces: a living member under that name
    would pass for a deleted one, and their posts for the posts of someone who left."""
    from django.utils.translation import override

    from .deletion import DELETED_MEMBER_NAME

    def plain(text: str) -> str:
        return " ".join(text.split()).casefold()

    reserved = {plain(DELETED_MEMBER_NAME)}
    for code, _name in settings.LANGUAGES:
        with override(code):
            reserved.add(plain(gettext("Verwijderd lid")))
    return plain(name or "") in reserved


def validate_display_name(name: str) -> None:
    """The model's and the forms' check of a member's name (sign-up, profile, the admins)."""
    if display_name_is_reserved(name):
        raise ValidationError(
            _("Deze naam is voor verwijderde accounts. Kies een andere naam."),
            code="reserved_name",
        )


class MemberManager(UserManager):
    """Members log in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    class ContactVisibility(models.TextChoices):
        NOBODY = "nobody", _("Niemand")
        MEMBERS = "members", _("Ingelogde leden")
        EVERYONE = "everyone", _("Iedereen")

    username = None
    email = models.EmailField(_("e-mailadres"), unique=True)
    handle = models.SlugField(
        _("gebruikersnaam"),
        max_length=40,
        unique=True,
        help_text=_("Hiermee noemen anderen je met @ en staat je profiel op /leden/…/."),
    )
    display_name = models.CharField(_("naam"), max_length=80)
    bio = models.TextField(_("over mij"), blank=True, max_length=2000)
    region = models.ForeignKey(
        "communities.Region",
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    expertise = TaggableManager(
        verbose_name=_("kennis en interesses"),
        blank=True,
        help_text=_("Waar weet je veel van, of wil je meer over weten? Scheid met komma's."),
    )
    avatar = AvatarField(_("profielfoto"), upload_to="avatars/%Y/%m/", blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    contact_visibility = models.CharField(
        _("wie ziet je contactgegevens"),
        max_length=10,
        choices=ContactVisibility.choices,
        default=ContactVisibility.NOBODY,
    )
    language = models.CharField(
        _("taal"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Opt-in: only members who chose it are listed on Wie weet wat, on tag pages and in search.
    findable = models.BooleanField(
        _("laat anderen je vinden"),
        default=False,
        help_text=_(
            "Laat anderen je vinden op Wie weet wat en in zoeken, met je naam, regio en "
            "kennis. Zo kunnen ze je een vraag stellen in een gemeenschap. Je contactgegevens "
            "blijven zichtbaar voor wie je hierboven kiest."
        ),
    )

    # Moderation (issue 11): a librarian may suspend an account site-wide, for a period or, with
    # no end, for good. A suspended member can read but not post, comment, RSVP or report.
    suspended_at = models.DateTimeField(_("geschorst sinds"), null=True, blank=True)
    suspended_until = models.DateTimeField(
        _("geschorst tot"),
        null=True,
        blank=True,
        help_text=_("Leeg laten bij een schorsing: voorgoed."),
    )
    suspension_reason = models.TextField(_("reden van schorsing"), blank=True, max_length=2000)
    # A profile hidden by a moderator (after reports): not shown, not listed, not found.
    profile_hidden = models.BooleanField(_("profiel verborgen"), default=False)

    # Privacy (issue 12). The version of the terms and privacy statement (PRIVACY_STATEMENT_VERSION)
    # the member accepted at sign-up, and when: the AVG asks the library to show consent.
    terms_version = models.CharField(
        _("geaccepteerde versie voorwaarden"), max_length=20, blank=True
    )
    terms_accepted_at = models.DateTimeField(
        _("voorwaarden geaccepteerd op"), null=True, blank=True
    )
    # Set when the retention job warned an inactive member that the account will be removed
    # (RETENTION_INACTIVE_ACCOUNT_DAYS, off by default); cleared when the member logs in again.
    inactivity_warned_at = models.DateTimeField(
        _("gewaarschuwd wegens inactiviteit op"), null=True, blank=True
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name", "handle"]

    objects = MemberManager()

    class Meta:
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        ordering = ["display_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_visibility__in=["nobody", "members", "everyone"]),
                name="user_contact_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.public_name or self.email

    @property
    def is_deleted_account(self) -> bool:
        """Anonymised by communities.deletion.account_delete: inactive, with its marker address."""
        from .deletion import DELETED_EMAIL_DOMAIN

        return not self.is_active and self.email.endswith("@" + DELETED_EMAIL_DOMAIN)

    @property
    def public_name(self) -> str:
        """The name others see, in the reader's language. A deleted account keeps the marker
        "Verwijderd lid" (deletion.DELETED_MEMBER_NAME) as its stored name; it is translated
        here, at display time, so /en/ pages and English mails say "Deleted member"."""
        from .deletion import DELETED_MEMBER_NAME

        # The stored name first: other members' rows need no further field (nor a query).
        if self.display_name == DELETED_MEMBER_NAME and self.is_deleted_account:
            return gettext("Verwijderd lid")
        return self.display_name

    @staticmethod
    def public_name_of(display_name: str, *, is_active: bool, email: str) -> str | Promise:
        """`public_name` for a member read as values, not as a User (the digest does). Lazy:
        it is translated when the text is rendered, in the reader's language."""
        from .deletion import DELETED_EMAIL_DOMAIN, DELETED_MEMBER_NAME

        deleted = not is_active and (email or "").endswith("@" + DELETED_EMAIL_DOMAIN)
        if display_name == DELETED_MEMBER_NAME and deleted:
            return _("Verwijderd lid")
        return display_name or ""

    def clean(self) -> None:
        super().clean()
        # Only communities.deletion gives an account the deleted members' name. (A check in
        # clean() rather than a field validator: no migration for a rule about the value.)
        if not self.is_deleted_account:
            try:
                validate_display_name(self.display_name)
            except ValidationError as error:
                raise ValidationError({"display_name": error}) from None

    def get_full_name(self) -> str:
        return self.public_name

    def is_suspended_at(self, moment) -> bool:
        """Suspended at `moment`: a suspension has begun and has no end or ends later."""
        return (
            self.suspended_at is not None
            and self.suspended_at <= moment
            and (self.suspended_until is None or self.suspended_until > moment)
        )

    def get_short_name(self) -> str:
        return self.public_name

    def get_absolute_url(self) -> str:
        return reverse("communities:member_detail", kwargs={"handle": self.handle})


class Region(models.Model):
    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Library(models.Model):
    """An organisation that runs a KennisCloud: a public library."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    contact_email = models.EmailField(_("contact e-mailadres"))
    website = models.URLField(_("website"), blank=True)
    brand_colour = models.CharField(
        _("huiskleur"), max_length=7, default="#1a5f7a", validators=[HEX_COLOUR]
    )
    # How people find and reach the library: the site footer and the "about" page show these
    # (communities.site_library), so a resident always knows whose place this is.
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Staat in de voettekst en op de pagina over de bibliotheek, altijd naast de naam. "
            "Een liggend logo werkt het best."
        ),
    )
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    main_branch = models.ForeignKey(
        "communities.Branch",
        verbose_name=_("hoofdvestiging"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "Het adres in de voettekst en op de pagina over de bibliotheek. Kies een vestiging "
            "van deze bibliotheek."
        ),
    )
    opening_hours = models.TextField(
        _("openingstijden"),
        blank=True,
        max_length=1000,
        help_text=_(
            "Eén regel per dag of per vestiging, bijvoorbeeld: "
            "Maandag tot en met vrijdag 10.00 - 20.00 uur."
        ),
    )
    # The group Bibliothecarissen gives the role; this list says for which library. A librarian
    # manages the communities of their own libraries only (communities.selectors).
    librarians = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bibliothecarissen"),
        blank=True,
        related_name="libraries",
        help_text=_(
            "Deze mensen beheren de gemeenschappen, lidmaatschappen en bijdragen van deze "
            "bibliotheek. Staat iemand er niet bij? Voeg diegene eerst toe aan de groep "
            "Bibliothecarissen (Instellingen → Gebruikers)."
        ),
    )

    class Meta:
        verbose_name = _("bibliotheek")
        verbose_name_plural = _("bibliotheken")
        ordering = ["name"]
        permissions = [
            ("assign_librarians", _("Kan bibliothecarissen aan een bibliotheek koppelen")),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.main_branch_id and (
            self.pk is None or self.main_branch.library_id != self.pk  # type: ignore[union-attr]
        ):
            raise ValidationError({"main_branch": _("Kies een vestiging van deze bibliotheek.")})


class Branch(models.Model):
    """A *vestiging*: a building of a library where people meet."""

    library = models.ForeignKey(
        Library, verbose_name=_("bibliotheek"), on_delete=models.CASCADE, related_name="branches"
    )
    name = models.CharField(_("naam"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150)
    street = models.CharField(_("straat en huisnummer"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=10)
    city = models.CharField(_("plaats"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), null=True, blank=True, on_delete=models.SET_NULL
    )
    accessibility_notes = models.TextField(
        _("toegankelijkheid"),
        blank=True,
        help_text=_("Bijvoorbeeld: drempelvrij, lift, ringleiding, invalidenparkeerplaats."),
    )

    class Meta:
        verbose_name = _("vestiging")
        verbose_name_plural = _("vestigingen")
        ordering = ["library__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["library", "slug"], name="branch_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.city})"

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postcode} {self.city}"


class Theme(models.Model):
    """A societal theme that librarians curate, such as making your home sustainable."""

    title = models.CharField(
        _("titel"),
        max_length=150,
        help_text=_('Kort en herkenbaar, bijvoorbeeld "Duurzaam wonen".'),
    )
    slug = models.SlugField(
        _("webadres"),
        max_length=150,
        unique=True,
        help_text=_(
            "Het laatste deel van het adres: /themas/…/. Alleen kleine letters, cijfers en "
            "streepjes. Verander dit liever niet meer als het thema al gedeeld is."
        ),
    )
    intro = models.TextField(
        _("introductie"),
        blank=True,
        help_text=_("Eén of twee zinnen: waar gaat dit thema over en waarom doet het ertoe?"),
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("afbeelding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Niet verplicht. Kies je een afbeelding, vul dan ook de beschrijving in."),
    )
    image_alt = models.CharField(
        _("beschrijving van de afbeelding"),
        max_length=250,
        blank=True,
        help_text=_(
            "Verplicht als je een afbeelding kiest. Beschrijf in een korte zin wat er te zien "
            'is, voor wie de afbeelding niet kan zien (bijvoorbeeld: "Buren leggen samen '
            'zonnepanelen op een dak").'
        ),
    )
    sort_order = models.PositiveIntegerField(
        _("volgorde"),
        default=0,
        help_text=_("Thema's met een lager getal staan eerder in lijsten."),
    )
    featured = models.BooleanField(
        _("uitgelicht"),
        default=False,
        help_text=_("Uitgelichte thema's staan op de startpagina."),
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:theme_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        self.image_alt = self.image_alt.strip()
        if self.image_id and not self.image_alt:
            raise ValidationError(
                {
                    "image_alt": _(
                        "Beschrijf wat er op de afbeelding te zien is. Zonder beschrijving "
                        "weten mensen die de afbeelding niet zien niet wat erop staat."
                    )
                }
            )


class Community(models.Model):
    class Visibility(models.TextChoices):
        OPEN = "open", _("Open: iedereen kan meedoen")
        ON_REQUEST = "on_request", _("Op aanvraag: een beheerder keurt goed")
        PRIVATE = "private", _("Besloten: alleen zichtbaar voor leden")

    title = models.CharField(_("titel"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("beschrijving"))
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), blank=True, related_name="communities"
    )
    library = models.ForeignKey(
        Library, verbose_name=_("bibliotheek"), on_delete=models.PROTECT, related_name="communities"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("regio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="communities",
    )
    visibility = models.CharField(
        _("zichtbaarheid"), max_length=12, choices=Visibility.choices, default=Visibility.OPEN
    )
    welcome_message = models.TextField(
        _("welkomstbericht"),
        blank=True,
        help_text=_("Nieuwe leden zien dit bericht zodra ze lid zijn."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("valt onder"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="subcommunities",
    )

    class Premoderation(models.TextChoices):
        OFF = "off", _("Nee: bijdragen staan er meteen")
        NEW_MEMBERS = (
            "new_members",
            _("De eerste bijdragen van nieuwe leden wachten op goedkeuring"),
        )
        ALL = "all", _("Alle bijdragen wachten op goedkeuring")

    premoderation = models.CharField(
        _("goedkeuring vooraf"),
        max_length=12,
        choices=Premoderation.choices,
        default=Premoderation.OFF,
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("gemeenschap")
        verbose_name_plural = _("gemeenschappen")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=["open", "on_request", "private"]),
                name="community_visibility_valid",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="community_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(premoderation__in=["off", "new_members", "all"]),
                name="community_premoderation_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("communities:community_detail", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    def clean(self) -> None:
        """The tree of communities is one level deep: a community is a parent or a sub, never
        both (so no cycles), in its parent's library, and private when its parent is private
        (every reader that asks `is_private` then keeps it from outsiders: feeds, search, the
        API). Checked again under row locks by communities.services.community_tree_lock."""
        super().clean()
        from .subcommunities import community_tree_errors

        errors = community_tree_errors(self)
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Lid")
        HOST = "host", _("Gemeenschapsbeheerder")
        MODERATOR = "moderator", _("Moderator")

    class State(models.TextChoices):
        PENDING = "pending", _("Aangevraagd")
        ACTIVE = "active", _("Actief")
        # Removed and blocked by a host: cannot join again until unblocked.
        BLOCKED = "blocked", _("Geblokkeerd")

    MANAGING_ROLES = (Role.HOST, Role.MODERATOR)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("gemeenschap"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.ACTIVE
    )
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    activated_at = models.DateTimeField(_("lid sinds"), null=True, blank=True)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "community"], name="membership_unique_user_community"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["member", "host", "moderator"]), name="membership_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "active", "blocked"]),
                name="membership_state_valid",
            ),
            # Only an active member can host or moderate.
            models.CheckConstraint(
                condition=Q(state="active") | Q(role="member"),
                name="membership_pending_is_plain_member",
            ),
        ]
        indexes = [models.Index(fields=["community", "state", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.community}"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def can_manage(self) -> bool:
        return self.is_active and self.role in self.MANAGING_ROLES
