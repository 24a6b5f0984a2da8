"""The review queue on the site (/moderatie/): hosts and moderators of communities, and
librarians, see the open cases they may decide and act on them with one click.

Every action is a POST form that works without JavaScript and by keyboard alone; a refusal
(a missing reason) renders the page again with the message next to the field and what was
typed kept, and stores nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import queue
from .models import Case
from .queue_forms import BulkDecisionForm, DecisionForm
from .services import decisions

CASES_PER_PAGE = 20

DONE_MESSAGES = {
    decisions.DISMISS: gettext_lazy("Afgehandeld: geen actie nodig."),
    decisions.HIDE: gettext_lazy("Verborgen. De auteur leest je reden."),
    decisions.RESTORE: gettext_lazy("Teruggezet: weer zichtbaar voor wie het mag zien."),
    decisions.DELETE: gettext_lazy("Verwijderd."),
    decisions.WARN: gettext_lazy("De auteur is gewaarschuwd."),
}
ALREADY_MESSAGE = gettext_lazy("Dat was al gebeurd; er is niets veranderd.")


def _require_moderator(user) -> None:
    if not queue.user_moderates_anything(user):
        raise PermissionDenied(_("Alleen beheerders en moderatoren van een gemeenschap zien dit."))


def _form_for(case: Case, data=None) -> DecisionForm:
    return DecisionForm(data, prefix=f"melding-{case.pk}")


def _here(request, fallback: str) -> str:
    """Where the forms on this page come back to: this page, also when it is rendered again
    after a refused POST (whose own address only takes POSTs)."""
    if request.method == "GET":
        return request.get_full_path()
    return _back(request, fallback)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@login_required
def queue_list(request, *, bulk_form=None, failed=None, status=200):
    """The open cases, most reported first. `failed` is a (case, form) whose decision was
    refused: that case shows the form as posted, with its message."""
    _require_moderator(request.user)
    page = Paginator(queue.case_list_for(request.user), CASES_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    items = queue.queue_items(list(page.object_list))
    for item in items:
        if failed is not None and failed[0].pk == item.case.pk:
            item.form = failed[1]
        else:
            item.form = _form_for(item.case)
    # After a refused bulk decision the boxes stay ticked.
    selected = {v for v in request.POST.getlist("cases") if v.isdigit()} if bulk_form else set()
    return render(
        request,
        "moderation/queue/queue_list.html",
        {
            "here": _here(request, reverse("moderation:queue")),
            "page": page,
            "items": items,
            "bulk_form": bulk_form or BulkDecisionForm(),
            "selected": selected,
        },
        status=status,
    )


@login_required
def case_detail(request, pk: int, *, form=None, status=200):
    """One case: where a notification about a report leads."""
    _require_moderator(request.user)
    case = queue.case_get_for(request.user, pk)
    (item,) = queue.queue_items([case])
    item.form = form or _form_for(case)
    here = reverse("moderation:case_detail", kwargs={"pk": case.pk})
    return render(
        request,
        "moderation/queue/case_detail.html",
        {"item": item, "case": case, "here": here},
        status=status,
    )


@login_required
@require_POST
def case_decide(request, pk: int):
    _require_moderator(request.user)
    case = queue.case_get_for(request.user, pk)
    form = _form_for(case, request.POST)
    back = _back(request, reverse("moderation:queue"))
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
            return redirect(back)
    # Render where the form was: the case's own page, or the queue.
    if back.startswith(reverse("moderation:case_detail", kwargs={"pk": case.pk})):
        return case_detail(request, pk, form=form, status=400)
    return queue_list(request, failed=(case, form), status=400)


@login_required
@require_POST
def queue_bulk(request):
    _require_moderator(request.user)
    form = BulkDecisionForm(request.POST, case_ids=request.POST.getlist("cases"))
    if form.is_valid():
        action, ids = form.cleaned_data["action"], form.cleaned_data["cases"]
        try:
            results = decisions.cases_decide(
                by=request.user, case_ids=ids, action=action, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            changed = sum(1 for r in results if r.changed)
            messages.success(
                request,
                ngettext(
                    "%(action)s: %(count)s melding.",
                    "%(action)s: %(count)s meldingen.",
                    changed,
                )
                % {"action": dict(form.fields["action"].choices)[action], "count": changed},
            )
            return redirect(_back(request, reverse("moderation:queue")))
    return queue_list(request, bulk_form=form, status=400)


def add_errors(form, error: ValidationError) -> None:
    """The service's message next to its field (the reason), else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
