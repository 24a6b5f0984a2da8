"""Meetups in calendars: one meetup's .ics, subscribable feeds, and a member's personal feed.

Calendar apps fetch feeds without logging in, so the community and theme feeds show what an
anonymous visitor may see (a logged-in member fetching in the browser sees their private
communities too). The personal feed is found by the secret in its address alone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.selectors import community_get_visible, theme_get, theme_list

from . import selectors, services
from .calendar import CONTENT_TYPE, calendar_build, ics_filename
from .models import Rsvp

# How long browsers and proxies may keep a public feed.
FEED_MAX_AGE = 15 * 60


def _ics_response(request, calendar, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=FEED_MAX_AGE)
    return response


def _feed_name(title: str) -> str:
    return _("%(title)s · KennisCloud") % {"title": title}


def _feed_response(request, meetups, *, title: str, slug: str) -> HttpResponse:
    """A subscribable feed of a community or a theme."""
    calendar = calendar_build(meetups, name=_feed_name(title), refresh=True)
    return _ics_response(request, calendar, f"{slug}.ics", download=False)


@require_GET
def meetup_ics(request, pk):
    meetup = selectors.meetup_get_visible(request.user, pk)
    calendar = calendar_build([meetup])
    return _ics_response(request, calendar, ics_filename(meetup), download=True)


@require_GET
def community_feed(request, slug):
    community = community_get_visible(request.user, slug)
    meetups = selectors.meetup_list_for_feed(request.user, community=community)
    return _feed_response(request, meetups, title=community.title, slug=community.slug)


@require_GET
def theme_feed(request, slug):
    theme = theme_get(slug)
    meetups = selectors.meetup_list_for_feed(request.user, theme=theme)
    return _feed_response(request, meetups, title=theme.title, slug=theme.slug)


@require_GET
def personal_feed(request, key):
    owner = selectors.calendar_feed_owner(key)
    rsvps = list(selectors.rsvp_list_for_calendar(owner))
    waitlisted = {rsvp.meetup_id for rsvp in rsvps if rsvp.state == Rsvp.State.WAITLIST}
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        calendar = calendar_build(
            [rsvp.meetup for rsvp in rsvps],
            name=_feed_name(_("Mijn bijeenkomsten")),
            refresh=True,
            waitlisted=waitlisted,
        )
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'inline; filename="mijn-bijeenkomsten.ics"'
    # The address is the only secret: keep it out of shared caches and search engines.
    patch_cache_control(response, private=True, max_age=0)
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _feed_url(token) -> str | None:
    if token is None:
        return None
    return settings.SITE_URL + reverse("meetups:personal_feed", kwargs={"key": token.key})


@login_required
def my_calendar(request):
    token = selectors.calendar_token_for(request.user)
    feed_url = _feed_url(token)
    return render(
        request,
        "meetups/my_calendar.html",
        {
            "rsvps": selectors.rsvp_list_for_calendar(request.user, upcoming_only=True),
            "token": token,
            "feed_url": feed_url,
            "webcal_url": feed_url and "webcal://" + feed_url.split("://", 1)[1],
            "communities": selectors.calendar_feed_communities_for(request.user),
            "themes": theme_list(),
        },
    )


@login_required
@require_POST
def my_calendar_token_create(request):
    had_token = selectors.calendar_token_for(request.user) is not None
    services.calendar_token_create(user=request.user)
    if had_token:
        messages.success(
            request,
            _(
                "Je agenda heeft een nieuw adres. Het oude adres werkt niet meer: "
                "abonneer je agenda-app op het nieuwe."
            ),
        )
    else:
        messages.success(request, _("Je agenda-adres is klaar. Abonneer je agenda-app erop."))
    return redirect("meetups:my_calendar")


@login_required
@require_POST
def my_calendar_token_revoke(request):
    if services.calendar_token_revoke(user=request.user):
        messages.success(
            request,
            _("Je agenda-adres is ingetrokken. Agenda-apps krijgen je bijeenkomsten niet meer."),
        )
    return redirect("meetups:my_calendar")
