"""Tools for whoever runs a meetup (meetup_can_manage): attendees and waitlist, the CSV export,
check-in at the door (with a name filter and walk-ins), a message to everyone coming (and the
copies of those sent), and the report afterwards.

A meetup the viewer may not see answers 404; one they see but do not run answers 403, as the
community member pages do.
"""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from communities.models import User

from . import selectors, services
from .organiser_forms import MessageForm, ReportForm, WalkInGuestForm, WalkInMemberForm

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _named(people: list, query: str, name) -> list:
    return [person for person in people if selectors.attendee_name_matches(name(person), query)]


def _render_attendees(request, meetup, *, guest_form=None, status=200):
    """The attendee and check-in page. `naam` filters the lists by name (a GET form; a script
    filters live on top of it); `lid` searches members to register at the door."""
    going, waitlist = selectors.meetup_attendees(meetup)
    walk_ins = selectors.meetup_walk_ins(meetup)
    with_needs = [rsvp for rsvp in going + waitlist if rsvp.access_needs]
    checked_in_count = sum(1 for rsvp in going if rsvp.checked_in_at)
    taken = len(going) + len(walk_ins)
    name_query = " ".join(request.GET.get("naam", "").split())[:100]
    member_query = " ".join(request.GET.get("lid", "").split())[:100]
    is_full = meetup.capacity is not None and taken >= meetup.capacity
    guest_form = guest_form or WalkInGuestForm()
    if not is_full:
        # Letting someone in over the limit is a question only when the places are taken.
        guest_form.fields.pop("over_capacity", None)
    shown: dict[str, list] = {"going": going, "waitlist": waitlist, "walk_ins": walk_ins}
    if name_query:
        shown = {
            "going": _named(going, name_query, lambda rsvp: rsvp.user.display_name),
            "waitlist": _named(waitlist, name_query, lambda rsvp: rsvp.user.display_name),
            "walk_ins": _named(walk_ins, name_query, lambda walk_in: walk_in.name),
        }
    return render(
        request,
        "meetups/organiser/attendees.html",
        {
            "meetup": meetup,
            "going": going,
            "waitlist": waitlist,
            "walk_ins": walk_ins,
            "shown": shown,
            "name_query": name_query,
            "shown_count": sum(len(people) for people in shown.values()),
            "checked_in_count": checked_in_count,
            # Attendance: members checked in and walk-ins, of everyone expected or there.
            "present_count": checked_in_count + len(walk_ins),
            "expected_count": taken,
            "is_full": is_full,
            "over_capacity_by": max(taken - meetup.capacity, 0) if meetup.capacity else 0,
            "with_needs": with_needs,
            "needs_summary": selectors.access_needs_summary(with_needs),
            "check_in_closed_reason": services.check_in_closed_reason(meetup),
            "places_left": selectors.meetup_places_left(meetup),
            "member_query": member_query,
            "member_results": selectors.walk_in_member_search(meetup, member_query),
            "member_query_too_short": 0 < len(member_query) < selectors.WALK_IN_SEARCH_MIN_CHARS,
            "going_ids": {rsvp.user_id for rsvp in going},
            "guest_form": guest_form,
            "sent_messages": selectors.sent_message_list(meetup),
        },
        status=status,
    )


@login_required
def meetup_attendees(request, pk):
    """Who comes, who waits, what they need; check-in and walk-ins at the door."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    return _render_attendees(request, meetup)


def _attendees_url(meetup, anchor: str = "") -> str:
    url = reverse("meetups:meetup_attendees", kwargs={"pk": meetup.pk})
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_POST
def meetup_walk_in_guest(request, pk):
    """Register someone without an account who walks in."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    form = WalkInGuestForm(request.POST)
    if form.is_valid():
        try:
            walk_in = services.walk_in_register_guest(meetup=meetup, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s is er.") % {"name": walk_in.name})
            return redirect(_attendees_url(meetup, f"binnenloper-{walk_in.pk}"))
    return _render_attendees(request, meetup, guest_form=form, status=400)


@login_required
@require_POST
def meetup_walk_in_member(request, pk):
    """Register a member found by the door search: going and present."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    form = WalkInMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Zoek het lid eerst op naam."))
        return redirect(_attendees_url(meetup, "aan-de-deur"))
    member = get_object_or_404(User, pk=form.cleaned_data["member"], is_active=True)
    try:
        rsvp = services.rsvp_walk_in(
            meetup=meetup, user=member, over_capacity=form.cleaned_data["over_capacity"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        query = request.POST.get("lid", "")
        return redirect(f"{_attendees_url(meetup)}?{urlencode({'lid': query})}#aan-de-deur")
    messages.success(request, _("%(name)s is er.") % {"name": member.display_name})
    return redirect(_attendees_url(meetup, f"deelnemer-{rsvp.pk}"))


@login_required
@require_POST
def meetup_walk_in_remove(request, pk, walk_in_id):
    """Undo a walk-in registered by mistake."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    walk_in = services.walk_in_remove(meetup=meetup, walk_in_id=walk_in_id)
    if walk_in is not None:
        messages.info(request, _("%(name)s is van de lijst gehaald.") % {"name": walk_in.name})
    return redirect(_attendees_url(meetup, "binnenlopers"))


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@login_required
def meetup_attendees_csv(request, pk):
    """The attendee list for Excel: UTF-8 with a BOM, `;` between fields (what Excel expects in
    the Netherlands).

    Only what running the meetup takes: name, e-mail, state, when they signed up, check-in.
    Access needs stay on the attendee page: they can say something about someone's health
    (special personal data, art. 9 AVG) and a downloaded file travels beyond our access rules.
    Cancelled RSVPs are left out; walk-ins without an account come last.
    """
    meetup = selectors.meetup_get_manageable(request.user, pk)
    going, waitlist = selectors.meetup_attendees(meetup)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{meetup.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("Naam"), _("E-mailadres"), _("Status"), _("Aangemeld op"), _("Aanwezig gemeld om")]
    )
    for rsvp in going + waitlist:
        state = rsvp.get_state_display()
        if getattr(rsvp, "position", None):
            state = _("Wachtlijst (plaats %(position)d)") % {"position": rsvp.position}
        writer.writerow(
            [
                _cell(rsvp.user.display_name),
                _cell(rsvp.user.email),
                state,
                _when(rsvp.created_at),
                _when(rsvp.checked_in_at),
            ]
        )
    for walk_in in selectors.meetup_walk_ins(meetup):
        writer.writerow(
            [
                _cell(walk_in.shown_name),
                _cell(walk_in.email),
                _("Binnenloper (zonder account)"),
                "",
                _when(walk_in.checked_in_at),
            ]
        )
    return response


@login_required
@require_POST
def meetup_check_in(request, pk, rsvp_id):
    """Mark someone present at the door (present=1) or undo it (present=0); back to the list."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    present = request.POST.get("present") != "0"
    try:
        rsvp = services.rsvp_check_in(meetup=meetup, rsvp_id=rsvp_id, present=present)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetups:meetup_attendees", pk=meetup.pk)
    name = rsvp.user.display_name
    if present:
        messages.success(request, _("%(name)s is er.") % {"name": name})
    else:
        messages.info(request, _("%(name)s staat weer op niet aanwezig.") % {"name": name})
    url = reverse("meetups:meetup_attendees", kwargs={"pk": meetup.pk})
    return redirect(f"{url}#deelnemer-{rsvp.pk}")


@login_required
def meetup_message(request, pk):
    """A message to everyone going, and if asked to the waitlist: one mail each."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.meetup_message_attendees(
                meetup=meetup, sender=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Je bericht wordt verstuurd naar %(count)d persoon.",
                    "Je bericht wordt verstuurd naar %(count)d personen.",
                    count,
                )
                % {"count": count},
            )
            return redirect("meetups:meetup_attendees", pk=meetup.pk)
    return render(
        request,
        "meetups/organiser/message.html",
        {
            "meetup": meetup,
            "form": form,
            "going_count": services.meetup_message_recipient_count(meetup, include_waitlist=False),
            "all_count": services.meetup_message_recipient_count(meetup, include_waitlist=True),
        },
    )


@login_required
def meetup_report_edit(request, pk):
    """Write or rewrite the report, once the meetup has started."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    report = selectors.report_for(request.user, meetup)
    closed_reason = services.report_closed_reason(meetup)
    initial = {}
    if report is not None:
        initial = {"body": report.body, "contributions": list(report.contributions.all())}
    form = ReportForm(
        request.POST or None,
        initial=initial,
        contribution_choices=selectors.report_contribution_choices(meetup, request.user),
    )
    if request.method == "POST" and not closed_reason and form.is_valid():
        try:
            services.report_save(
                meetup=meetup,
                author=request.user,
                body=form.cleaned_data["body"],
                contributions=form.cleaned_data.get("contributions", []),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het verslag staat bij de bijeenkomst."))
            return redirect(f"{meetup.get_absolute_url()}#verslag")
    return render(
        request,
        "meetups/organiser/report_form.html",
        {"meetup": meetup, "form": form, "report": report, "closed_reason": closed_reason},
        status=400 if request.method == "POST" and closed_reason else 200,
    )
