"""What a member adds to their RSVP: what they need to take part, and places in sessions.

`meetup_detail_extras` is the part of a meetup's page that these tools, the report and the
schema.org data need; the meetup page view merges it into its context.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Meetup, Rsvp, Session
from .organiser_forms import AccessNeedsForm

ACTIVE = (Rsvp.State.GOING, Rsvp.State.WAITLIST)


def _is_active(rsvp: Rsvp | None) -> bool:
    return rsvp is not None and rsvp.state in ACTIVE


def _access_needs_form(rsvp: Rsvp | None) -> AccessNeedsForm:
    """The form with what the member asked for while going or waiting; empty otherwise."""
    return AccessNeedsForm(initial={"access_needs": rsvp.access_needs if _is_active(rsvp) else ""})


def meetup_detail_extras(request, meetup: Meetup, rsvp: Rsvp | None) -> dict:
    """Context for the meetup page: the access-needs form, the viewer's session places, the
    organiser links and the report."""
    return {
        "access_needs_form": _access_needs_form(rsvp),
        "my_session_ids": selectors.session_signup_ids_for(request.user, meetup),
        "can_manage": selectors.meetup_can_manage(request.user, meetup),
        "report": selectors.report_for(request.user, meetup),
        "now": timezone.now(),
    }


def render_rsvp_form(request, meetup: Meetup, rsvp: Rsvp | None, form: AccessNeedsForm):
    """The member's own RSVP page, also for a sign-up whose access needs did not validate."""
    return render(
        request,
        "meetups/rsvp_detail.html",
        {
            "meetup": meetup,
            "rsvp": rsvp,
            "active": _is_active(rsvp),
            "form": form,
            "rsvp_closed_reason": selectors.meetup_rsvp_closed_reason(meetup),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def rsvp_details(request, pk):
    """Change what you need to take part, while you are going or waiting."""
    meetup = selectors.meetup_get_visible(request.user, pk)
    rsvp = selectors.rsvp_for(request.user, meetup)
    if request.method != "POST":
        return render_rsvp_form(request, meetup, rsvp, _access_needs_form(rsvp))
    form = AccessNeedsForm(request.POST)
    if not form.is_valid():
        return render_rsvp_form(request, meetup, rsvp, form)
    try:
        services.rsvp_access_needs_update(
            user=request.user, meetup_id=meetup.pk, access_needs=form.cleaned_data["access_needs"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Opgeslagen. De organisatie ziet wat je nodig hebt."))
    return redirect(meetup)


def _session_of(request, pk, session_pk):
    meetup = selectors.meetup_get_visible(request.user, pk)
    # Not meetup.sessions: modelcluster's manager would not scope .get() to the meetup.
    return meetup, get_object_or_404(Session, pk=session_pk, meetup_id=meetup.pk)


@login_required
@require_POST
def session_signup(request, pk, session_pk):
    meetup, session = _session_of(request, pk, session_pk)
    try:
        services.session_signup(user=request.user, session_id=session.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Je hebt een plek bij “%(title)s”.") % {"title": session.title})
    return redirect(f"{meetup.get_absolute_url()}#onderdeel-{session.pk}")


@login_required
@require_POST
def session_signup_cancel(request, pk, session_pk):
    meetup, session = _session_of(request, pk, session_pk)
    if services.session_signup_cancel(user=request.user, session_id=session.pk):
        messages.success(
            request, _("Je plek bij “%(title)s” is vrijgegeven.") % {"title": session.title}
        )
    return redirect(f"{meetup.get_absolute_url()}#onderdeel-{session.pk}")
