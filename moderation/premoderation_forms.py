"""Forms of the approval page: the community's setting and a rejection's reason."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from communities.models import Community

from .premoderation import REASON_MAX_CHARS


class PremoderationSettingForm(forms.Form):
    premoderation = forms.ChoiceField(
        label=_("Wachten bijdragen en reacties op goedkeuring?"),
        choices=Community.Premoderation.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        count = settings.PREMODERATION_FIRST_POSTS
        self.fields["premoderation"].help_text = ngettext(
            "Van een nieuw lid wachten bijdragen en reacties tot er %(count)s is goedgekeurd. "
            "Beheerders, moderatoren en bibliothecarissen wachten nooit.",
            "Van een nieuw lid wachten bijdragen en reacties tot er %(count)s zijn goedgekeurd. "
            "Beheerders, moderatoren en bibliothecarissen wachten nooit.",
            count,
        ) % {"count": count}


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom niet?"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("De schrijver leest dit."),
        error_messages={"required": _("Schrijf op waarom, zodat de schrijver het begrijpt.")},
    )
