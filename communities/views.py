"""Communities, memberships and member profiles. Views parse input, call one service or
selector, and render."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AddMemberForm, ProfileForm, WhoKnowsWhatFilterForm
from .models import Membership
from .subcommunities import community_tree
from .suspension import require_can_act

WHO_KNOWS_WHAT_PAGE_SIZE = 24


def community_list(request):
    communities = list(selectors.community_list_visible_to(request.user))
    return render(
        request,
        "communities/community_list.html",
        {
            # Every community for the meetup lookup; the cards show the tree (subs_shown).
            "communities": communities,
            "top_communities": community_tree(communities),
            "memberships": selectors.membership_states_for(request.user),
        },
    )


def community_detail(request, slug):
    community = selectors.community_get_visible(request.user, slug)
    access = selectors.community_access(request.user, community)
    membership, can_manage = access.membership, access.can_manage
    subcommunities = (
        list(selectors.community_list_subcommunities(request.user, community))
        if community.parent_id is None
        else []
    )
    return render(
        request,
        "communities/community_detail.html",
        {
            "community": community,
            "membership": membership,
            "can_manage": can_manage,
            "pending_count": (
                selectors.membership_list_pending(community).count() if can_manage else 0
            ),
            "recommended": selectors.community_list_recommended(request.user, community),
            "subcommunities": subcommunities,
            # A request for a sub that waits for the parent's hosts first says so.
            "waits_for_parent": bool(
                membership
                and membership.state == Membership.State.PENDING
                and community.parent_id is not None
                and not selectors.user_is_active_member(request.user, community.parent)
            ),
            # The viewer's place in each sub, for its card: one query, only when there are subs.
            "memberships": selectors.membership_states_for(request.user) if subcommunities else {},
        },
    )


@login_required
@require_POST
def community_join(request, slug):
    community = selectors.community_get_visible(request.user, slug)
    try:
        membership = services.membership_join(user=request.user, community=community)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect(community)
    if membership.is_active and community.parent_id is not None:
        # Joining a subcommunity joined its parent too (services.membership_join).
        messages.success(
            request,
            _("Welkom! Je bent nu lid van %(community)s en van %(parent)s.")
            % {"community": community.title, "parent": community.parent.title},
        )
    elif membership.is_active:
        messages.success(request, _("Welkom! Je bent nu lid van %s.") % community.title)
    else:
        messages.info(
            request, _("Je aanvraag is verstuurd. Een beheerder van de gemeenschap kijkt ernaar.")
        )
    return redirect(community)


@login_required
def community_leave(request, slug):
    """GET: what leaving means (the confirmation step); POST: leave, or withdraw a request."""
    community = selectors.community_get_visible(request.user, slug)
    if request.method != "POST":
        membership = selectors.membership_for(request.user, community)
        if membership is None or not membership.is_active:
            return redirect(community)  # nothing to leave (a request is withdrawn in one step)
        sub_memberships = selectors.membership_list_in_subs(request.user, community)
        return render(
            request,
            "communities/community_leave.html",
            {
                "community": community,
                "membership": membership,
                "last_host": selectors.membership_is_last_host(membership),
                # Leaving a community leaves its subs too: the page names them, and the last
                # host of a sub hands that over first (no leave button until then).
                "sub_memberships": sub_memberships,
                "last_host_of_a_sub": any(sub.is_last_host for sub in sub_memberships),
            },
        )
    try:
        services.membership_leave(user=request.user, community=community)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(community)
    messages.success(request, _("Je bent geen lid meer van %s.") % community.title)
    if community.is_private:
        return redirect("communities:community_list")
    return redirect(community)


@login_required
def community_members(request, slug):
    """Hosts see requests to approve, the members, and can add someone directly."""
    community = selectors.community_get_visible(request.user, slug)
    if not selectors.user_can_manage(request.user, community):
        raise PermissionDenied
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["who"]
        try:
            services.membership_add(by=request.user, community=community, user=member)
        except ValidationError as error:
            # Blocked here: lift the block first (below, under Geblokkeerd).
            form.add_error("who", error)
        else:
            messages.success(request, _("%s is nu lid.") % member.display_name)
            return redirect("communities:community_members", slug=community.slug)
    can_change_roles = selectors.user_is_host(request.user, community)
    return render(
        request,
        "communities/community_members.html",
        {
            "community": community,
            "pending": selectors.membership_list_pending(community),
            "members": selectors.membership_list_active(community),
            "form": form,
            "roles": Membership.Role.choices,
            "can_change_roles": can_change_roles,
            # Hosts and librarians block and lift blocks (moderation.blocks); moderators don't.
            "blocked": selectors.membership_list_blocked(community) if can_change_roles else (),
        },
    )


@login_required
@require_POST
def membership_decide(request, slug, membership_id):
    community = selectors.community_get_visible(request.user, slug)
    action = request.POST.get("action")
    try:
        if action == "approve":
            membership = services.membership_approve(
                by=request.user, community=community, membership_id=membership_id
            )
            messages.success(request, _("%s is nu lid.") % membership.user.display_name)
        elif action == "role":
            services.membership_set_role(
                by=request.user,
                community=community,
                membership_id=membership_id,
                role=request.POST.get("role", ""),
            )
            messages.success(request, _("De rol is aangepast."))
        else:
            messages.error(request, _("Onbekende actie."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("communities:community_members", slug=community.slug)


@login_required
def membership_decline(request, slug, membership_id):
    """GET: whose request is declined and what they hear (the confirmation step); POST:
    decline it."""
    community = selectors.community_get_visible(request.user, slug)
    if not selectors.user_can_manage(request.user, community):
        raise PermissionDenied
    members_page = redirect("communities:community_members", slug=community.slug)
    membership = selectors.membership_get_in(community, membership_id)
    if membership.state != Membership.State.PENDING:
        return members_page  # decided in the meantime: the members page shows how
    if request.method == "POST":
        try:
            services.membership_decline(
                by=request.user, community=community, membership_id=membership.pk
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De aanvraag is afgewezen."))
        return members_page
    return render(
        request,
        "communities/membership_decline.html",
        {"community": community, "membership": membership},
    )


def member_detail(request, handle):
    member = selectors.member_get_visible(request.user, handle)
    return render(
        request,
        "communities/member_detail.html",
        {
            "member": member,
            "communities": selectors.member_communities_visible_to(member, request.user),
            "show_contact": selectors.member_contact_visible_to(member, request.user),
        },
    )


def who_knows_what(request):
    """Members who opted in to being found, by theme, expertise and region."""
    form = WhoKnowsWhatFilterForm(request.GET or None)
    filters = form.filters()
    members = selectors.member_list_findable(request.user, **filters)
    page = Paginator(members, WHO_KNOWS_WHAT_PAGE_SIZE).get_page(request.GET.get("pagina"))
    members_on_page = list(page.object_list)
    return render(
        request,
        "communities/who_knows_what.html",
        {
            "form": form,
            "page": page,
            "members": members_on_page,
            "filtered": any(filters.values()),
            "viewer_has_community": selectors.member_question_places(request.user, members_on_page),
        },
    )


@login_required
def profile_edit(request):
    # Suspended: the 403 page says until when and why, instead of a form they cannot send.
    require_can_act(request.user)
    # A copy: validating fills the instance, and the header must not show rejected values.
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=copy.copy(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in ProfileForm.Meta.fields}
        try:
            services.member_update_profile(
                user=request.user, data=data, expertise=form.cleaned_data["expertise"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Je profiel is opgeslagen."))
            return redirect(request.user)
    return render(request, "communities/profile_form.html", {"form": form})
