"""Preferences and one-click unsubscribe. Views parse input, call one service, and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import PreferencesForm
from .mail import _language_prefix
from .tokens import unsubscribe_user_id


@login_required
def preferences(request):
    user = request.user
    current = selectors.preferences_for(user)
    form = PreferencesForm(
        request.POST or None,
        community_levels=selectors.community_levels_for(user),
        initial={
            "digest_frequency": current.digest_frequency,
            "reply_mail": current.reply_mail,
            "themes": list(selectors.followed_theme_ids(user)),
            "regions": list(selectors.followed_region_ids(user)),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_update(
                user=user,
                digest_frequency=form.cleaned_data["digest_frequency"],
                reply_mail=form.cleaned_data["reply_mail"],
                community_levels=form.community_levels(),
                theme_ids=[t.pk for t in form.cleaned_data["themes"]],
                region_ids=[r.pk for r in form.cleaned_data["regions"]],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Je voorkeuren zijn opgeslagen."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "address_status": selectors.address_status_for(user.email)},
    )


@login_required
@require_POST
def address_unblock(request):
    services.address_unblock(user=request.user)
    messages.success(
        request, _("We sturen weer mail naar %(email)s.") % {"email": request.user.email}
    )
    return redirect("notifications:preferences")


# The mail client of the member posts here (RFC 8058) without a session, so without a CSRF
# token; the signed token in the address is what authorises the change.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user_id = unsubscribe_user_id(token)
    member = selectors.member_for_unsubscribe(user_id) if user_id is not None else None
    if member is None:
        raise Http404
    if request.method == "POST":
        services.digest_unsubscribe(user_id=member.pk)
        return render(request, "notifications/unsubscribe_done.html", {"member": member})
    return render(
        request, "notifications/unsubscribe_confirm.html", {"member": member, "token": token}
    )


NOTIFICATIONS_PER_PAGE = 20


@login_required
def notification_list(request):
    notifications = selectors.notification_list_for(request.user)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "notifications/notification_list.html", {"page": page})


def _back_to_list(request):
    """To the page of the list the member was on (a number only, never a foreign address)."""
    number = request.POST.get("pagina", "")
    url = reverse("notifications:notification_list")
    return redirect(f"{url}?pagina={number}" if number.isdigit() and number != "1" else url)


@login_required
@require_POST
def notification_read(request, pk: int):
    if services.notification_mark_read(user=request.user, notification_id=pk) is None:
        raise Http404
    return _back_to_list(request)


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("Alle meldingen zijn gelezen."))
    return _back_to_list(request)


# POST, not a GET link: opening a notification marks it read, a change of state, and link
# prefetchers or a crawler following links must not do that for the member.
@login_required
@require_POST
def notification_open(request, pk: int):
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if notification is None:
        raise Http404
    # Stored without language prefix: English readers go to the English page.
    url = _language_prefix(get_language()) + notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise Http404
    return redirect(url)
