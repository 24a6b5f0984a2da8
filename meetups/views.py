"""Meetups on the residents' site: the agenda, a meetup's page, signing up for it, and
planning meetups: create, edit, publish, cancel, and members' proposals."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors as community_selectors
from communities.suspension import require_can_act
from kenniscloud.common.ratelimit import RateLimited, rate_limited_response

from . import selectors, services
from .attendance_views import meetup_detail_extras, render_rsvp_form
from .forms import (
    AgendaFilterForm,
    CancelForm,
    DeclineForm,
    MeetupForm,
    ProposalForm,
    SessionFormSet,
    session_data,
)
from .models import Meetup, Rsvp
from .organiser_forms import AccessNeedsForm

AGENDA_PAGE_SIZE = 20


def meetup_list(request, archive=False):
    """The agenda (upcoming, soonest first) or the archive, filtered by a GET form."""
    archive = archive or request.GET.get("archief") == "1"
    form = AgendaFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    meetups = selectors.meetup_list_agenda(request.user, archive=archive, **filters)
    page = Paginator(meetups, AGENDA_PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "meetups/meetup_list.html",
        {
            "form": form,
            "page": page,
            "meetups": page.object_list,
            "archive": archive,
            "filtered": any(filters.values()),
            "can_create": selectors.user_plans_meetups(request.user),
        },
    )


def meetup_detail(request, pk):
    # Drafts and proposals too, for those who manage them and for the proposer.
    meetup = selectors.meetup_get_viewable(request.user, pk)
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
            **meetup_detail_extras(request, meetup, rsvp),
        },
    )


@login_required
@require_POST
def meetup_rsvp(request, pk):
    meetup = selectors.meetup_get_visible(request.user, pk)
    form = AccessNeedsForm(request.POST)
    if not form.is_valid():
        return render_rsvp_form(request, meetup, selectors.rsvp_for(request.user, meetup), form)
    try:
        rsvp = services.rsvp_respond(
            user=request.user, meetup_id=meetup.pk, access_needs=form.cleaned_data["access_needs"]
        )
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


# --- Planning: create, edit, publish and cancel -----------------------------------------------


def _meetup_forms(request, *, meetup=None, initial=None):
    """The meetup form and its programme. The programme rows are checked against the meetup's
    times once those are valid."""
    data = request.POST if request.method == "POST" else None
    # A copy: validating fills the instance, and the page must not show rejected values.
    instance = copy.copy(meetup) if meetup is not None else None
    form = MeetupForm(data, instance=instance, initial=initial, user=request.user)
    day = None
    if data is not None and form.is_valid():
        day = (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
    formset = SessionFormSet(
        data, instance=meetup or Meetup(), prefix="sessions", form_kwargs={"day": day}
    )
    return form, formset


def _render_meetup_form(request, form, formset, meetup=None):
    return render(
        request,
        "meetups/meetup_form.html",
        {"form": form, "formset": formset, "meetup": meetup},
    )


def _community_slug(request) -> str | None:
    return request.GET.get("gemeenschap") or request.POST.get("gemeenschap")


def _community_param(request):
    slug = _community_slug(request)
    if not slug:
        return None
    return community_selectors.community_get_visible(request.user, slug)


@login_required
def meetup_create(request):
    community = _community_param(request)
    initial = {}
    if community is not None:
        if not selectors.meetup_can_create_in(request.user, community):
            # Members propose; hosts and organisers decide.
            return redirect(
                "meetups:meetup_propose_in_community", slug=community.slug, permanent=False
            )
        initial = {"community": community, "themes": list(community.themes.all())}
    elif not selectors.user_plans_meetups(request.user):
        raise PermissionDenied
    form, formset = _meetup_forms(request, initial=initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            meetup = services.meetup_create(
                by=request.user,
                fields=form.service_fields(),
                themes=form.cleaned_data["themes"],
                organisers=form.cleaned_data["organisers"],
                sessions=session_data(formset),
                publish=request.POST.get("action") == "publish",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if meetup.status == Meetup.Status.PUBLISHED:
                messages.success(request, _("De bijeenkomst staat in de agenda."))
            else:
                messages.success(
                    request,
                    _("De bijeenkomst is opgeslagen als concept. Alleen beheerders zien hem."),
                )
            return redirect(meetup)
    return _render_meetup_form(request, form, formset)


@login_required
def meetup_edit(request, pk):
    meetup = selectors.meetup_get_manageable(request.user, pk)
    if meetup.status == Meetup.Status.CANCELLED:
        messages.error(request, _("Een afgelaste bijeenkomst kun je niet meer bewerken."))
        return redirect(meetup)
    form, formset = _meetup_forms(request, meetup=meetup)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.meetup_update(
                by=request.user,
                meetup_id=meetup.pk,
                fields=form.service_fields(),
                themes=form.cleaned_data["themes"],
                organisers=form.cleaned_data["organisers"],
                sessions=session_data(formset),
                publish=request.POST.get("action") == "publish",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Je wijzigingen zijn opgeslagen."))
            return redirect(meetup)
    return _render_meetup_form(request, form, formset, meetup)


@login_required
@require_POST
def meetup_publish(request, pk):
    meetup = selectors.meetup_get_manageable(request.user, pk)
    try:
        services.meetup_publish(by=request.user, meetup_id=meetup.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De bijeenkomst staat in de agenda."))
    return redirect(meetup)


@login_required
def meetup_cancel(request, pk):
    """A page of its own: a note for everyone who comes, and a confirmation."""
    meetup = selectors.meetup_get_manageable(request.user, pk)
    if meetup.status != Meetup.Status.PUBLISHED:
        messages.error(request, _("Alleen een gepubliceerde bijeenkomst kun je afgelasten."))
        return redirect(meetup)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meetup_cancel(
                by=request.user, meetup_id=meetup.pk, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("De bijeenkomst is afgelast. Iedereen die komt of wacht krijgt bericht."),
            )
            return redirect(meetup)
    return render(
        request,
        "meetups/meetup_cancel.html",
        {
            "meetup": meetup,
            "form": form,
            "people_count": services.meetup_message_recipient_count(meetup, include_waitlist=True),
        },
    )


# --- Proposals by members ---------------------------------------------------------------------


@login_required
def meetup_propose(request, slug=None):
    # Suspended: the 403 page says until when and why, instead of a form they cannot send.
    require_can_act(request.user)
    if slug is None:
        slug = _community_slug(request)
    if not slug:
        return render(
            request,
            "meetups/proposal_choose_community.html",
            {
                "communities": community_selectors.member_communities_visible_to(
                    request.user, request.user
                )
            },
        )
    community = community_selectors.community_get_visible(request.user, slug)
    if selectors.meetup_can_create_in(request.user, community):
        # Hosts and organisers plan it themselves.
        return redirect(f"{reverse('meetups:meetup_create')}?gemeenschap={community.slug}")
    if not community_selectors.user_is_active_member(request.user, community):
        messages.error(request, _("Word eerst lid van de gemeenschap om iets voor te stellen."))
        return redirect(community)
    form = ProposalForm(request.POST or None)
    limited = None
    if request.method == "POST" and form.is_valid():
        try:
            meetup = services.meetup_propose(
                by=request.user,
                community=community,
                fields=form.service_fields(),
                themes=community.themes.all(),
            )
        except ValidationError as error:
            # A rate limit too: the form again with what they typed, and 429 (see below).
            form.add_error(None, error)
            limited = error if isinstance(error, RateLimited) else None
        else:
            messages.success(
                request,
                _(
                    "Bedankt voor je voorstel! De beheerders van de gemeenschap kijken ernaar. "
                    "Je krijgt bericht per e-mail."
                ),
            )
            return redirect(meetup)
    response = render(request, "meetups/proposal_form.html", {"form": form, "community": community})
    return rate_limited_response(response, limited)


@login_required
def meetup_proposal_edit(request, pk):
    """The proposer changes their proposal while it waits for a decision."""
    meetup = selectors.meetup_get_viewable(request.user, pk)
    if meetup.proposed_by_id != request.user.pk:
        raise PermissionDenied
    closed_reason = services.proposal_edit_closed_reason(meetup)
    if closed_reason:
        messages.error(request, closed_reason)
        return redirect(meetup)
    form = ProposalForm(request.POST or None, instance=copy.copy(meetup))
    form.original_starts_at = meetup.starts_at
    if request.method == "POST" and form.is_valid():
        try:
            services.meetup_proposal_update(
                by=request.user, meetup_id=meetup.pk, fields=form.service_fields()
            )
        except ValidationError as error:
            # Decided between opening the form and sending it: say so, with what they typed.
            form.add_error(None, error)
        else:
            messages.success(request, _("Je voorstel is gewijzigd."))
            return redirect(meetup)
    return render(
        request,
        "meetups/proposal_form.html",
        {"form": form, "community": meetup.community, "meetup": meetup},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def meetup_proposals(request):
    """Proposals to decide on, drafts to complete, and the viewer's own proposals."""
    return render(
        request,
        "meetups/proposals.html",
        {
            "to_decide": list(selectors.meetup_list_proposals_to_decide(request.user)),
            "drafts": list(selectors.meetup_list_drafts_managed_by(request.user)),
            "own": list(selectors.meetup_list_own_proposals(request.user)),
        },
    )


@login_required
@require_POST
def meetup_approve(request, pk):
    meetup = selectors.meetup_get_manageable(request.user, pk)
    publish = request.POST.get("action") == "publish"
    try:
        services.meetup_approve_proposal(by=request.user, meetup_id=meetup.pk, publish=publish)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetups:meetup_proposals")
    if publish:
        messages.success(request, _("Het voorstel is goedgekeurd en staat in de agenda."))
        return redirect(meetup)
    messages.success(
        request, _("Het voorstel is goedgekeurd als concept. Vul het aan en publiceer het.")
    )
    return redirect("meetups:meetup_edit", pk=meetup.pk)


@login_required
def meetup_decline(request, pk):
    meetup = selectors.meetup_get_manageable(request.user, pk)
    if meetup.status != Meetup.Status.PROPOSED:
        messages.error(request, _("Over dit voorstel is al besloten."))
        return redirect(meetup)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meetup_decline_proposal(
                by=request.user, meetup_id=meetup.pk, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het voorstel is afgewezen. De indiener krijgt bericht."))
            return redirect("meetups:meetup_proposals")
    return render(request, "meetups/proposal_decline.html", {"meetup": meetup, "form": form})
