from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscloud.common.forms import KeepWhatTheyTypedMixin

# As long as the longest field it checks (a contribution's text).
TEXT_MAX_LENGTH = 20000


class ReadabilityForm(KeepWhatTheyTypedMixin, forms.Form):
    text = forms.CharField(
        label=_("Tekst"), required=False, strip=False, max_length=TEXT_MAX_LENGTH
    )
