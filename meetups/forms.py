"""Validation of what organisers, hosts and members type in when they plan or propose a meetup,
and of the agenda's filters. The rules live in services (meetup_check_*); the forms apply them
early, so every message lands next to its field."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from communities.models import Branch, Community, Region, Theme
from communities.selectors import (
    library_scope_filter,
    members_by_handles,
    user_is_library_librarian,
    user_library_ids,
)
from kenniscloud.common.forms import KeepWhatTheyTypedMixin

from . import selectors
from .models import Meetup, Session
from .services import (
    SessionData,
    meetup_check_capacity,
    meetup_check_organisers,
    meetup_check_times,
    session_check_times,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
TIME_HELP = format_lazy("{} ({}).", _("Tijd in Nederland"), settings.TIME_ZONE)


def _datetime_field(label) -> forms.DateTimeField:
    """A native date-and-time picker; the browser sends local time, read in TIME_ZONE."""
    return forms.DateTimeField(
        label=label,
        help_text=TIME_HELP,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={
            "required": _("Vul een datum en tijd in."),
            "invalid": _("Vul een datum en tijd in, zoals 14-03-2027 19:30."),
        },
    )


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError({"field": message}) next to the field."""
    form.add_error(None, error)


class _MeetupTimesMixin:
    """Start before end, and a start in the future for anything new or moved."""

    def _clean_times(self, cleaned: dict) -> None:
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is None or ends_at is None:
            return
        try:
            meetup_check_times(starts_at=starts_at, ends_at=ends_at)
        except ValidationError as error:
            _add_errors(self, error)
        moved = self.instance.pk is None or starts_at != self.original_starts_at
        if moved and starts_at <= timezone.now():
            self.add_error(
                "starts_at", _("Dit moment is al voorbij. Kies een begin in de toekomst.")
            )


class MeetupForm(KeepWhatTheyTypedMixin, _MeetupTimesMixin, forms.ModelForm):
    """What organisers and hosts fill in on the site to plan or change a meetup."""

    starts_at = _datetime_field(_("Begint om"))
    ends_at = _datetime_field(_("Eindigt om"))
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        required=False,
        min_value=1,
        help_text=_("Leeg laten: onbeperkt. Is het vol, dan komen mensen op de wachtlijst."),
        error_messages={"min_value": _("Kies minstens 1 plaats, of laat het veld leeg.")},
    )
    organisers = forms.CharField(
        label=_("Organisatoren"),
        required=False,
        help_text=_(
            "Gebruikersnamen, gescheiden door komma's, bijvoorbeeld: @mila, @otto. "
            "Zij kunnen de bijeenkomst ook bewerken en afgelasten, en zien de aanmeldingen. "
            "Kies leden van de gemeenschap."
        ),
    )

    class Meta:
        model = Meetup
        fields = [
            "kind",
            "title",
            "description",
            "community",
            "themes",
            "starts_at",
            "ends_at",
            "branch",
            "address",
            "online_url",
            "is_hybrid",
            "accessibility_info",
            "capacity",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "accessibility_info": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "accessibility_info": _(
                "Schrijf wat mensen moeten weten om mee te kunnen doen: drempelvrij of niet, "
                "lift, ringleiding, tolk Nederlandse Gebarentaal, een stille ruimte, "
                "invalidentoilet en -parkeerplaats. Laat je dit leeg, dan tonen we wat bij de "
                "vestiging staat."
            ),
            "online_url": _("Bijvoorbeeld een link naar Teams, Zoom of Jitsi."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.original_starts_at = self.instance.starts_at if self.instance.pk else None
        self.fields["themes"].queryset = Theme.objects.order_by("sort_order", "title")
        self.fields["branch"].queryset = selectors.agenda_branch_choices()
        self.fields["branch"].empty_label = _("Geen vestiging: ergens anders of alleen online")
        self.fields["online_url"].assume_scheme = "https"
        community = self.fields["community"]
        # Organisers plan in every community they may see, librarians in their libraries' ones,
        # hosts in the ones they host; a meetup's own organisers keep its community.
        community.queryset = selectors.community_choices_for_meetup(user, self.instance)
        if not (selectors.user_is_organiser(user) or user_library_ids(user)):
            community.required = self.instance.pk is None or self.instance.community_id is not None
        community.empty_label = None if community.required else _("Geen: voor iedereen")
        if self.instance.pk:
            self.initial["organisers"] = ", ".join(
                f"@{u.handle}" for u in self.instance.organisers.all()
            )
        elif "organisers" not in self.initial:
            self.initial["organisers"] = f"@{user.handle}"

    def clean_organisers(self) -> list:
        raw = self.cleaned_data.get("organisers") or ""
        handles = {h.strip().lstrip("@").lower() for h in raw.replace(";", ",").split(",")}
        handles.discard("")
        found = members_by_handles(handles)
        unknown = sorted(handles - set(found))
        if unknown:
            raise ValidationError(
                _("We kennen niemand met de gebruikersnaam %(names)s.")
                % {"names": ", ".join(f"@{h}" for h in unknown)}
            )
        return sorted(found.values(), key=lambda u: u.display_name.casefold())

    def clean(self):
        cleaned = super().clean()
        self._clean_times(cleaned)
        branch, address = cleaned.get("branch"), (cleaned.get("address") or "").strip()
        online_url = cleaned.get("online_url")
        if branch and address:
            self.add_error(
                "address", _("Kies een vestiging óf vul een ander adres in, niet allebei.")
            )
        elif not (branch or address or online_url or self.has_error("online_url")):
            self.add_error(
                "branch",
                _(
                    "Kies een vestiging, vul een ander adres in of geef een link om online mee "
                    "te doen."
                ),
            )
        if cleaned.get("is_hybrid") and not online_url and not self.has_error("online_url"):
            self.add_error("online_url", _("Geef de link waarmee mensen online meedoen."))
        if "capacity" in cleaned:
            try:
                meetup_check_capacity(meetup_id=self.instance.pk, capacity=cleaned["capacity"])
            except ValidationError as error:
                _add_errors(self, error)
        self._clean_community_and_organisers(cleaned)
        return cleaned

    def _clean_community_and_organisers(self, cleaned: dict) -> None:
        if "community" not in cleaned:
            return
        community, branch = cleaned["community"], cleaned.get("branch")
        moved = self.instance.pk is None or community != self.instance.community
        if moved and not selectors.meetup_can_create_in(self.user, community, branch):
            self.add_error(
                "community",
                _(
                    "Hier kun je geen bijeenkomst plannen. Kies een gemeenschap die je beheert, "
                    "of zonder gemeenschap een vestiging van je eigen bibliotheek."
                ),
            )
            return
        if "organisers" in cleaned:
            try:
                meetup_check_organisers(
                    by=self.user,
                    community=community,
                    branch=branch,
                    organisers=cleaned["organisers"],
                    meetup_id=self.instance.pk,
                )
            except ValidationError as error:
                _add_errors(self, error)

    def service_fields(self) -> dict:
        """The cleaned values the publishing services write."""
        data = self.cleaned_data
        names = [n for n in self.Meta.fields if n != "themes"]
        fields = {name: data[name] for name in names}
        fields["address"] = fields["address"].strip()
        return fields


class ProposalForm(KeepWhatTheyTypedMixin, _MeetupTimesMixin, forms.ModelForm):
    """A member's proposal: the idea, a moment, and where if they already know."""

    starts_at = _datetime_field(_("Begint om"))
    ends_at = _datetime_field(_("Eindigt om"))

    class Meta:
        model = Meetup
        fields = ["title", "description", "starts_at", "ends_at", "branch", "address", "online_url"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        labels = {
            "title": _("Waar gaat de bijeenkomst over?"),
            "description": _("Wat wil je doen, en voor wie?"),
        }
        help_texts = {
            "title": _("Een korte titel, bijvoorbeeld: Samen zonnepanelen vergelijken."),
            "branch": _("Weet je nog niet waar? Laat het leeg; de organisatie zoekt een plek."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_starts_at = None
        self.fields["branch"].queryset = selectors.agenda_branch_choices()
        self.fields["branch"].empty_label = _("Nog niet bekend, of ergens anders")
        self.fields["online_url"].assume_scheme = "https"

    def clean(self):
        cleaned = super().clean()
        self._clean_times(cleaned)
        return cleaned

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields}
        fields["address"] = fields["address"].strip()
        return fields


class SessionForm(KeepWhatTheyTypedMixin, forms.ModelForm):
    """One programme item; `day` is the meetup's (start, end) once the meetup form is valid."""

    starts_at = _datetime_field(_("Begint om"))
    ends_at = _datetime_field(_("Eindigt om"))
    capacity = forms.IntegerField(
        label=_("Aantal plaatsen"),
        required=False,
        min_value=1,
        help_text=_("Alleen invullen als mensen zich voor dit onderdeel apart aanmelden."),
        error_messages={"min_value": _("Kies minstens 1 plaats, of laat het veld leeg.")},
    )

    class Meta:
        model = Session
        fields = ["title", "starts_at", "ends_at", "room", "speaker", "description", "capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        # The meetup's own "begint om" help is enough; keep the rows short.
        self.fields["starts_at"].help_text = ""
        self.fields["ends_at"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is None or ends_at is None:
            return cleaned
        try:
            if self.day is None:
                meetup_check_times(starts_at=starts_at, ends_at=ends_at)
            else:
                session_check_times(
                    starts_at=starts_at,
                    ends_at=ends_at,
                    day_starts_at=self.day[0],
                    day_ends_at=self.day[1],
                )
        except ValidationError as error:
            _add_errors(self, error)
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None:
            taken = self.instance.signups.count()
            if capacity < taken:
                self.add_error(
                    "capacity",
                    _("Er hebben al %(count)d mensen een plek. Kies minstens %(count)d.")
                    % {"count": taken},
                )
        return cleaned


SessionFormSet = forms.inlineformset_factory(
    Meetup, Session, form=SessionForm, extra=3, can_delete=True, max_num=60, validate_max=True
)


def session_data(formset) -> list[SessionData]:
    """The programme rows of a valid formset, for the services; untouched empty rows are left
    out."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and form.instance.pk is None:
            continue
        data = form.cleaned_data
        delete = bool(data.get("DELETE"))
        if delete and form.instance.pk is None:
            continue
        rows.append(
            SessionData(
                pk=form.instance.pk,
                delete=delete,
                title=data.get("title", ""),
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                room=data.get("room", ""),
                speaker=data.get("speaker", ""),
                description=data.get("description", ""),
                capacity=data.get("capacity"),
            )
        )
    return rows


class CancelForm(KeepWhatTheyTypedMixin, forms.Form):
    note = forms.CharField(
        label=_("Waarom gaat de bijeenkomst niet door?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Dit staat in het bericht aan iedereen die komt of op de wachtlijst staat, en op "
            "de pagina van de bijeenkomst."
        ),
        error_messages={
            "required": _("Schrijf kort waarom de bijeenkomst niet doorgaat."),
        },
    )
    confirm = forms.BooleanField(
        label=_("Ja, ik gelast deze bijeenkomst af. Dit kan ik niet ongedaan maken."),
        error_messages={"required": _("Vink aan dat je de bijeenkomst echt wilt afgelasten.")},
    )


class DeclineForm(KeepWhatTheyTypedMixin, forms.Form):
    reason = forms.CharField(
        label=_("Waarom gaat dit voorstel niet door?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Degene die het voorstelde krijgt dit per e-mail. Het voorstel verdwijnt."),
        error_messages={"required": _("Schrijf kort waarom, voor wie het voorstelde.")},
    )


class AgendaFilterForm(forms.Form):
    """The agenda's filters: a GET form that works without JavaScript."""

    WHERE_CHOICES = [
        ("", _("Online en ter plaatse")),
        (selectors.WHERE_ON_SITE, _("Ter plaatse")),
        (selectors.WHERE_ONLINE, _("Online te volgen")),
    ]

    thema = forms.ModelChoiceField(
        label=_("Thema"), queryset=Theme.objects.none(), required=False, to_field_name="slug"
    )
    gemeenschap = forms.ModelChoiceField(
        label=_("Gemeenschap"),
        queryset=Community.objects.none(),
        required=False,
        to_field_name="slug",
    )
    regio = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.none(), required=False, to_field_name="slug"
    )
    vestiging = forms.ModelChoiceField(
        label=_("Vestiging"), queryset=Branch.objects.none(), required=False
    )
    waar = forms.ChoiceField(label=_("Hoe"), choices=WHERE_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = Theme.objects.order_by("sort_order", "title")
        self.fields["thema"].empty_label = _("Alle thema's")
        self.fields["gemeenschap"].queryset = selectors.agenda_community_choices(user)
        self.fields["gemeenschap"].empty_label = _("Alle gemeenschappen")
        self.fields["regio"].queryset = Region.objects.order_by("name")
        self.fields["regio"].empty_label = _("Alle regio's")
        self.fields["vestiging"].queryset = selectors.agenda_branch_choices()
        self.fields["vestiging"].empty_label = _("Alle vestigingen")

    def filters(self) -> dict:
        """The valid filters as keyword arguments for meetup_list_agenda; a bad value is left
        out (and shown at its field)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "theme": data.get("thema"),
            "community": data.get("gemeenschap"),
            "region": data.get("regio"),
            "branch": data.get("vestiging"),
            "where": data.get("waar") or "",
        }


class MeetupAdminForm(WagtailAdminModelForm):
    """The Meetup snippet in the Wagtail admin: the same rules as on the site.

    Organisers choose any community; a librarian those of their libraries, or none with a
    branch of their library (see meetups.wagtail_hooks.MeetupPermissionPolicy)."""

    limits_own_choices = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is not None and "community" in self.fields:
            if not selectors.user_is_organiser(user):
                self.fields["community"].queryset = Community.objects.filter(
                    library_scope_filter(user)
                ).order_by("title")
            self.fields["community"].widget.choices = self.fields["community"].choices

    def _clean_library_scope(self, cleaned: dict) -> None:
        user = self.for_user
        if user is None or selectors.user_is_organiser(user) or "community" not in cleaned:
            return
        library_id = selectors.meetup_library_id(cleaned["community"], cleaned.get("branch"))
        if not user_is_library_librarian(user, library_id):
            self.add_error(
                "community",
                _(
                    "Kies een gemeenschap van je eigen bibliotheek, of zonder gemeenschap een "
                    "vestiging van je eigen bibliotheek."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        self._clean_library_scope(cleaned)
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        times_ok = starts_at is not None and ends_at is not None
        if times_ok:
            try:
                meetup_check_times(starts_at=starts_at, ends_at=ends_at)
            except ValidationError as error:
                _add_errors(self, error)
                times_ok = False
        capacity = cleaned.get("capacity")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("Kies minstens 1 plaats, of laat het veld leeg."))
        elif "capacity" in cleaned:
            try:
                meetup_check_capacity(meetup_id=self.instance.pk, capacity=capacity)
            except ValidationError as error:
                _add_errors(self, error)
        status = cleaned.get("status")
        # Before _post_clean, self.instance still holds the stored status.
        was = self.instance.status if self.instance.pk else None
        if status == Meetup.Status.CANCELLED and was not in (
            Meetup.Status.PUBLISHED,
            Meetup.Status.CANCELLED,
        ):
            self.add_error(
                "status",
                _(
                    "Alleen een gepubliceerde bijeenkomst kun je afgelasten. "
                    "Een concept of voorstel verwijder je."
                ),
            )
        if times_ok and "sessions" in getattr(self, "formsets", {}):
            self._clean_sessions(starts_at, ends_at)
        return cleaned

    def _clean_sessions(self, starts_at, ends_at) -> None:
        formset = self.formsets["sessions"]
        for form in formset.forms:
            if not form.is_valid() or formset._should_delete_form(form):
                continue
            if not form.has_changed() and form.instance.pk is None:
                continue
            data = form.cleaned_data
            capacity = data.get("capacity")
            if form.instance.pk and capacity is not None:
                taken = form.instance.signups.count()
                if capacity < taken:
                    form.add_error(
                        "capacity",
                        _("Er hebben al %(count)d mensen een plek. Kies minstens %(count)d.")
                        % {"count": taken},
                    )
            if data.get("starts_at") is None or data.get("ends_at") is None:
                continue
            try:
                session_check_times(
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    day_starts_at=starts_at,
                    day_ends_at=ends_at,
                )
            except ValidationError as error:
                _add_errors(form, error)


class SessionAdminForm(WagtailAdminModelForm):
    """A programme row in the Wagtail admin: our message instead of the constraint's."""

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at is not None and ends_at is not None:
            try:
                meetup_check_times(starts_at=starts_at, ends_at=ends_at)
            except ValidationError as error:
                _add_errors(self, error)
        return cleaned
