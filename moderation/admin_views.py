"""Moderatie in the Wagtail admin: the librarians' review queue (their libraries' cases;
superusers all), with the same decisions as the site's queue.

The same selectors and services as on the site (`moderation.queue`, `moderation.services.
decisions`): only the furniture is Wagtail's. A refusal (a missing reason) renders the queue
again, with the message next to the field of that case and what was typed kept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from communities.selectors import user_library_ids, user_manages_all_communities

from . import queue
from .queue_forms import BulkDecisionForm, DecisionForm
from .queue_views import ALREADY_MESSAGE, DONE_MESSAGES, add_errors
from .services import decisions

CASES_PER_PAGE = 20
QUEUE_URL_NAME = "moderatie:index"


def user_can_use_admin_queue(user) -> bool:
    """Librarians with a library, and superusers. Hosts use the site's queue."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user_manages_all_communities(user) or user_library_ids(user))
    )


def _require(request: HttpRequest) -> None:
    if not user_can_use_admin_queue(request.user):
        raise PermissionDenied


class AdminQueueView(WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Te beoordelen")
    header_icon = "warning"
    template_name = "moderation/admin/queue.html"
    # Set by the POST views to render a refusal.
    failed: tuple | None = None
    bulk_form: BulkDecisionForm | None = None

    def dispatch(self, request, *args, **kwargs):
        _require(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        page = Paginator(queue.case_list_for(user), CASES_PER_PAGE).get_page(
            self.request.GET.get("p")
        )
        items = queue.queue_items(list(page.object_list))
        for item in items:
            if self.failed is not None and self.failed[0] == item.case.pk:
                item.form = self.failed[1]
            else:
                item.form = DecisionForm(prefix=f"melding-{item.case.pk}")
        selected = set()
        if self.bulk_form is not None:
            selected = {v for v in self.request.POST.getlist("cases") if v.isdigit()}
        context.update(
            {
                "page": page,
                "items": items,
                "bulk_form": self.bulk_form or BulkDecisionForm(),
                "selected": selected,
                "log_url": reverse("moderatielog:index"),
                # Where the forms come back to, also after a refused POST.
                "here": self.request.get_full_path()
                if self.request.method == "GET"
                else _back(self.request),
            }
        )
        return context


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(QUEUE_URL_NAME)


def _render_refusal(request, *, failed=None, bulk_form=None):
    """The queue as a GET renders it, with the refused form in it."""
    view = AdminQueueView(failed=failed, bulk_form=bulk_form)
    view.setup(request)
    response = view.get(request)
    response.status_code = 400
    return response


def admin_case_decide(request: HttpRequest, pk: int):
    _require(request)
    if request.method != "POST":
        return redirect(QUEUE_URL_NAME)
    case = queue.case_get_for(request.user, pk)
    form = DecisionForm(request.POST, prefix=f"melding-{case.pk}")
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            result = decisions.case_decide(
                by=request.user, case_id=case.pk, action=action, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, DONE_MESSAGES[action] if result.changed else ALREADY_MESSAGE)
            return redirect(_back(request))
    return _render_refusal(request, failed=(case.pk, form))


def admin_queue_bulk(request: HttpRequest):
    _require(request)
    if request.method != "POST":
        return redirect(QUEUE_URL_NAME)
    form = BulkDecisionForm(request.POST, case_ids=request.POST.getlist("cases"))
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            results = decisions.cases_decide(
                by=request.user,
                case_ids=form.cleaned_data["cases"],
                action=action,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            changed = sum(1 for r in results if r.changed)
            messages.success(
                request,
                ngettext(
                    "%(action)s: %(count)s melding.", "%(action)s: %(count)s meldingen.", changed
                )
                % {"action": dict(form.fields["action"].choices)[action], "count": changed},
            )
            return redirect(_back(request))
    return _render_refusal(request, bulk_form=form)
