"""Reporting on the site: the report form, its confirmation, and the reporter's own reports.

Views parse input, call one selector or service, and render. Every page works without
JavaScript; the form is plain radio buttons and a textarea.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from communities.suspension import require_can_act
from kenniscloud.common.ratelimit import RateLimited, rate_limited_response

from . import selectors, targets
from .forms import ReportForm
from .models import Report
from .services import reports as services

REPORTS_PER_PAGE = 20


@login_required
def report_create(request, kind: str, pk: int):
    obj = selectors.report_target_get_visible(request.user, kind, pk)
    # A suspended member may not report: the 403 page says until when and why.
    require_can_act(request.user)
    info = targets.target_info(obj)
    context = {
        "target": info,
        "kind": kind,
        "kind_label": selectors.KIND_LABELS[info.kind],
        "pk": pk,
    }
    author = targets.target_author(obj)
    if author is not None and author.pk == request.user.pk:
        return render(request, "moderation/report_form.html", {**context, "own": True}, status=403)
    if selectors.report_exists(request.user, obj):
        return render(request, "moderation/report_form.html", {**context, "already": True})
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.report_create(
                    reporter=request.user,
                    obj=obj,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except RateLimited as error:
                # The daily cap or the pause between reports: the form again, with what they
                # typed and why, as 429 with Retry-After.
                form.add_error(None, error)
                response = render(request, "moderation/report_form.html", {**context, "form": form})
                return rate_limited_response(response, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("moderation:report_thanks", pk=result.report.pk)
        status = 400
    return render(request, "moderation/report_form.html", {**context, "form": form}, status=status)


@login_required
def report_thanks(request, pk: int):
    report = Report.objects.filter(pk=pk, reporter=request.user).select_related("case").first()
    if report is None:
        raise Http404
    back = None
    obj = report.case.target
    if obj is not None and targets.is_reportable(obj):
        info = targets.target_info(obj)
        # Back to where it stood; not to a page that is now hidden from the reporter.
        if not info.is_hidden or info.kind == targets.COMMENT:
            back = (info.context_url, info.context_title)
    return render(request, "moderation/report_thanks.html", {"report": report, "back": back})


@login_required
def report_list_own(request):
    page = Paginator(selectors.report_list_own(request.user), REPORTS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    lines = selectors.own_reports_explained(list(page.object_list))
    return render(request, "moderation/report_list_own.html", {"page": page, "lines": lines})
