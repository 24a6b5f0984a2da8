"""Meetups on the residents' site: the list, a meetup's page and signing up for it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Rsvp


def meetup_list(request):
    return render(
        request,
        "meetups/meetup_list.html",
        {"meetups": selectors.meetup_list_upcoming_visible_to(request.user)},
    )


def meetup_detail(request, pk):
    meetup = selectors.meetup_get_visible(request.user, pk)
    rsvp = selectors.rsvp_for(request.user, meetup)
    return render(
        request,
        "meetups/meetup_detail.html",
        {
            "meetup": meetup,
            "rsvp": rsvp,
            "waitlist_position": selectors.rsvp_waitlist_position(rsvp) if rsvp else None,
            "places_left": selectors.meetup_places_left(meetup),
            "rsvp_closed_reason": selectors.meetup_rsvp_closed_reason(meetup),
        },
    )


@login_required
@require_POST
def meetup_rsvp(request, pk):
    meetup = selectors.meetup_get_visible(request.user, pk)
    try:
        rsvp = services.rsvp_respond(user=request.user, meetup_id=meetup.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if rsvp.state == Rsvp.State.GOING:
            messages.success(request, _("Je bent aangemeld."))
        else:
            messages.info(
                request,
                _("Je staat op de wachtlijst. We laten het je weten als er een plek vrijkomt."),
            )
    return redirect(meetup)


@login_required
@require_POST
def meetup_rsvp_cancel(request, pk):
    meetup = selectors.meetup_get_visible(request.user, pk)
    try:
        services.rsvp_cancel(user=request.user, meetup_id=meetup.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Je bent afgemeld."))
    return redirect(meetup)
