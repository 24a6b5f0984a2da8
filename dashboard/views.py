"""The activity dashboard: a page in the Wagtail admin and a CSV export without personal data."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import impact, selectors
from .forms import DateRangeForm, presets

METRIC_LABELS = {
    "new_members": gettext_lazy("Nieuwe leden"),
    "contributions": gettext_lazy("Bijdragen"),
    "comments": gettext_lazy("Reacties"),
    "active_members": gettext_lazy("Actieve leden"),
    "rsvps": gettext_lazy("Aanmeldingen voor bijeenkomsten"),
}


def _require_librarian(request: HttpRequest) -> None:
    if not selectors.user_can_see_dashboard(request.user):
        raise PermissionDenied


class ActivityView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Activiteit")
    header_icon = "pick"
    template_name = "dashboard/activity.html"

    def dispatch(self, request, *args, **kwargs):
        _require_librarian(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        pending, pending_count = selectors.membership_list_pending_for(user)
        finder = AdminURLFinder(user)
        dossiers = [(d, finder.get_edit_url(d)) for d in selectors.dossier_list_to_review()]
        form = DateRangeForm(self.request.GET or None)
        chosen = form.periods()
        overview = selectors.activity_overview(user, periods=chosen)
        query = (
            urlencode(
                {"van": chosen[0].first_day.isoformat(), "tot": chosen[0].last_day.isoformat()}
            )
            if chosen
            else ""
        )
        context.update(
            {
                "form": form,
                "presets": [
                    (label, urlencode(params))
                    for label, params in presets(timezone.localdate(overview.now))
                ],
                "csv_url": reverse("dashboard_activity_csv") + (f"?{query}" if query else ""),
                "overview": overview,
                "tables": _tables(overview),
                "metric_labels": METRIC_LABELS,
                "pending": pending,
                "pending_count": pending_count,
                "dossiers": dossiers,
                "suppress_below": selectors.SUPPRESS_BELOW,
            }
        )
        return context


def _tables(overview: selectors.ActivityOverview) -> list[dict]:
    """The overview per period, as lists a template can loop over."""
    return [
        {
            "period": period,
            "communities": [
                (row, row.windows[period.key].as_list()) for row in overview.communities
            ],
            "themes": [(row, row.windows[period.key].as_list()) for row in overview.themes],
            "total": overview.total.windows[period.key].as_list(),
        }
        for period in overview.periods
    ]


def _csv_rows(overview: selectors.ActivityOverview) -> list[list[str]]:
    date = timezone.localdate(overview.now).isoformat()
    groups = [
        (_("Gemeenschap"), overview.communities),
        (_("Thema"), overview.themes),
        (_("Totaal"), [overview.total]),
    ]
    rows = []
    for kind, activity_rows in groups:
        for row in activity_rows:
            for period in overview.periods:
                counts = row.windows[period.key].as_list()
                rows.append(
                    [
                        date,
                        period.first_day.isoformat(),
                        period.last_day.isoformat(),
                        str(period.days),
                        str(kind),
                        row.label or _("Alle gemeenschappen"),
                        row.library,
                        *(selectors.suppress_small(n) for n in counts),
                    ]
                )
    return rows


def activity_csv(request: HttpRequest) -> HttpResponse:
    """The aggregates for funders and municipalities: counts only, no names of people.

    Semicolon-separated with a byte-order mark, as Dutch spreadsheet programs expect.
    """
    _require_librarian(request)
    form = DateRangeForm(request.GET or None)
    if request.GET and not form.is_valid():
        # The page says what is wrong, next to the field.
        return redirect(f"{reverse('dashboard_activity')}?{request.GET.urlencode()}")
    overview = selectors.activity_overview(request.user, periods=form.periods())
    chosen = form.periods()
    if chosen:
        span = f"{chosen[0].first_day.isoformat()}-tot-{chosen[0].last_day.isoformat()}"
    else:
        span = timezone.localdate(overview.now).isoformat()
    filename = f"kenniscloud-activiteit-{span}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Peildatum"),
            _("Vanaf"),
            _("Tot en met"),
            _("Dagen"),
            _("Soort"),
            _("Naam"),
            _("Bibliotheek"),
            *(str(label) for label in METRIC_LABELS.values()),
        ]
    )
    writer.writerows(_csv_rows(overview))
    return response


class HelpView(WagtailAdminTemplateMixin, TemplateView):
    """A short Dutch guide to the admin, instead of Wagtail's English Editor Guide."""

    page_title = gettext_lazy("Handleiding voor bibliothecarissen")
    header_icon = "help"
    template_name = "dashboard/help.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


def impact_report(request: HttpRequest) -> HttpResponse:
    """/cms/impact/: the impact report for funders and the municipality, a page of its own
    (no admin menu around it) that prints as it shows, also to PDF through the browser's
    print. Counts only, small ones suppressed (dashboard/impact.py)."""
    _require_librarian(request)
    form = DateRangeForm(request.GET or None)
    chosen = form.periods()
    if chosen:
        period = chosen[0]
    else:
        today = timezone.localdate()
        period = selectors.period_between(today.replace(month=1, day=1), today)
    report = impact.impact_report(request.user, period)
    return render(
        request,
        "dashboard/impact.html",
        {
            "form": form,
            "report": report,
            "presets": [
                (label, urlencode(params)) for label, params in presets(timezone.localdate())
            ],
            "suppress_below": selectors.SUPPRESS_BELOW,
            "made_at": timezone.now(),
        },
    )
