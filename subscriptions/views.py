"""Follow a theme by email without an account. Views parse input, call one service, render."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from communities.selectors import theme_get
from kenniscloud.common.ratelimit import RateLimited, rate_limited_response

from . import selectors, services
from .forms import ThemeSubscriptionForm


def subscribe(request, slug):
    """/themas/<slug>/volgen-per-e-mail/: an address, a tick for consent, and a mail to
    confirm. Its own page, not a form on the theme page: that page is in the page cache, and
    a cached form would carry someone else's CSRF token."""
    theme = theme_get(slug)
    if request.GET.get("verstuurd") == "1":
        return render(request, "subscriptions/subscribe_sent.html", {"theme": theme})
    form = ThemeSubscriptionForm(request.POST or None)
    error = None
    if request.method == "POST" and not request.user.is_authenticated and form.is_valid():
        try:
            services.subscription_request(
                theme=theme,
                email=form.cleaned_data["email"],
                language=get_language(),
                client_ip=get_adapter().get_client_ip(request),
            )
        except RateLimited as limited:
            error = limited
            form.add_error("email", limited)
        else:
            return redirect(f"{request.path}?verstuurd=1")
    response = render(request, "subscriptions/subscribe.html", {"theme": theme, "form": form})
    return rate_limited_response(response, error)


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button, POST confirms: a link checker or a mail scanner that opens the link
    must not subscribe anyone."""
    subscription = selectors.subscription_by_token(token)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        subscription = services.subscription_confirm(token=token)
        if subscription is None:
            return render(request, "subscriptions/confirm_expired.html", status=410)
        return render(request, "subscriptions/confirm_done.html", {"theme": subscription.theme})
    return render(
        request, "subscriptions/confirm.html", {"theme": subscription.theme, "token": token}
    )


# The mail client posts here (RFC 8058) without a session, so without a CSRF token; the
# random token in the address is what authorises stopping.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    if request.method == "POST":
        theme = services.subscription_unsubscribe(token=token)
        return render(request, "subscriptions/unsubscribe_done.html", {"theme": theme})
    subscription = selectors.subscription_by_token(token)
    if subscription is None:
        # Stopped already (a second click): say so, rather than a bare 404.
        return render(request, "subscriptions/unsubscribe_done.html", {"theme": None})
    return render(
        request,
        "subscriptions/unsubscribe.html",
        {"theme": subscription.theme, "token": token},
    )
