"""The dashboard's date range: two dates in a GET form, checked before anything is counted."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors


class DateRangeForm(forms.Form):
    """From and to, both included, as days in Europe/Amsterdam. Without either the dashboard
    shows its usual last 30 and 90 days."""

    van = forms.DateField(
        label=_("Vanaf"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-01-31.")},
    )
    tot = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, bijvoorbeeld 2026-12-31.")},
    )

    def clean(self):
        cleaned = super().clean() or self.cleaned_data
        first, last = cleaned.get("van"), cleaned.get("tot")
        if self.errors or (first is None and last is None):
            return cleaned
        today = timezone.localdate()
        if first is None:
            self.add_error("van", _("Vul ook de eerste dag in."))
        elif last is None:
            self.add_error("tot", _("Vul ook de laatste dag in."))
        elif last < first:
            self.add_error("tot", _("De laatste dag ligt vóór de eerste dag."))
        elif (last - first).days + 1 > selectors.MAX_RANGE_DAYS:
            self.add_error(
                "tot",
                _("Kies hoogstens %(days)d dagen; dat is ongeveer twee jaar.")
                % {"days": selectors.MAX_RANGE_DAYS},
            )
        elif first > today:
            self.add_error("van", _("De eerste dag ligt in de toekomst."))
        return cleaned

    def full_clean(self):
        super().full_clean()
        # The message next to a field is read out with it (Django adds aria-invalid itself).
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_error"

    def periods(self) -> list[selectors.Period] | None:
        """The chosen range; None for the default windows (also when the input is wrong)."""
        if not self.is_valid() or self.cleaned_data.get("van") is None:
            return None
        return [selectors.period_between(self.cleaned_data["van"], self.cleaned_data["tot"])]


def presets(today) -> list[tuple[str, dict[str, str]]]:
    """Ranges a librarian often asks for, as links that fill in the form."""
    year_start = today.replace(month=1, day=1)
    last_year = year_start.replace(year=year_start.year - 1)
    return [
        (str(_("Dit jaar")), {"van": year_start.isoformat(), "tot": today.isoformat()}),
        (
            str(_("Vorig jaar")),
            {
                "van": last_year.isoformat(),
                "tot": (year_start - timedelta(days=1)).isoformat(),
            },
        ),
    ]
