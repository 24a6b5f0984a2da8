"""Hosts remove and block a member from their community, and lift the block (issue 11).

Reached from the community's member page (communities:community_members). The services in
`blocks` decide who may; these views parse, call one, and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors as community_selectors
from communities.models import Membership

from . import blocks
from .member_forms import BlockForm


def _community_for_host(request, slug):
    community = community_selectors.community_get_visible(request.user, slug)
    if not community_selectors.user_is_host(request.user, community):
        raise PermissionDenied
    return community


@login_required
def membership_block(request, slug, membership_id):
    """Ask for a reason, then remove and block."""
    community = _community_for_host(request, slug)
    membership = community_selectors.membership_get_in(community, membership_id)
    members_page = redirect("communities:community_members", slug=community.slug)
    if membership.state == Membership.State.BLOCKED:
        return members_page
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            blocks.membership_block(
                by=request.user,
                community=community,
                membership_id=membership.pk,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is uit de gemeenschap verwijderd en geblokkeerd.")
                % {"name": membership.user.display_name},
            )
            return members_page
    return render(
        request,
        "moderation/membership_block.html",
        {"community": community, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_unblock(request, slug, membership_id):
    community = _community_for_host(request, slug)
    membership = community_selectors.membership_get_in(community, membership_id)
    try:
        blocks.membership_unblock(by=request.user, community=community, membership_id=membership.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("De blokkade van %(name)s is opgeheven. Diegene kan weer lid worden.")
            % {"name": membership.user.display_name},
        )
    return redirect("communities:community_members", slug=community.slug)
