"""The activity dashboard: a page in the Wagtail admin and a CSV export without personal data."""

from __future__ import annotations

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import selectors

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
        overview = selectors.activity_overview(user)
        context.update(
            {
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
    """The overview per window, as lists a template can loop over."""
    return [
        {
            "days": days,
            "communities": [(row, row.windows[days].as_list()) for row in overview.communities],
            "themes": [(row, row.windows[days].as_list()) for row in overview.themes],
            "total": overview.total.windows[days].as_list(),
        }
        for days in selectors.WINDOWS
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
            for days in selectors.WINDOWS:
                counts = row.windows[days].as_list()
                rows.append(
                    [
                        date,
                        str(days),
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
    overview = selectors.activity_overview(request.user)
    filename = f"kenniscloud-activiteit-{timezone.localdate(overview.now).isoformat()}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Peildatum"),
            _("Periode (dagen)"),
            _("Soort"),
            _("Naam"),
            _("Bibliotheek"),
            *(str(label) for label in METRIC_LABELS.values()),
        ]
    )
    writer.writerows(_csv_rows(overview))
    return response
