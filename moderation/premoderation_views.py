"""The approval page of a community: what waits, Goedkeuren / Afwijzen, and the setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import selectors as community_selectors
from communities import services as community_services

from . import premoderation
from .premoderation_forms import PremoderationSettingForm, RejectForm


def _rows(posts, failed) -> tuple[list[dict], list[dict]]:
    """Each waiting post with its own rejection form (its own ids); the one that came back
    with an error (`failed`: kind, pk, bound form) keeps what was typed."""

    def row(kind: str, post) -> dict:
        if failed is not None and failed[:2] == (kind, post.pk):
            form = failed[2]
        else:
            form = RejectForm(auto_id=f"reden-{kind}-{post.pk}-%s")
        return {"kind": kind, "post": post, "reject_form": form}

    return (
        [row("bijdrage", post) for post in posts.contributions],
        [row("reactie", post) for post in posts.comments],
    )


def _render(request, community, *, setting_form=None, failed=None, status=200):
    posts = premoderation.pending_posts_for(request.user, community)
    contributions, comments = _rows(posts, failed)
    return render(
        request,
        "moderation/premoderation/pending_list.html",
        {
            "community": community,
            "contributions": contributions,
            "comments": comments,
            "can_change_setting": community_selectors.user_is_host(request.user, community),
            "setting_form": setting_form
            or PremoderationSettingForm(initial={"premoderation": community.premoderation}),
        },
        status=status,
    )


@login_required
def pending_list(request, slug):
    """Hosts, moderators and librarians: the posts that wait; hosts also change the setting."""
    community = community_selectors.community_get_visible(request.user, slug)
    if request.method != "POST":
        return _render(request, community)
    form = PremoderationSettingForm(request.POST)
    if form.is_valid():
        try:
            community_services.community_set_premoderation(
                by=request.user, community=community, mode=form.cleaned_data["premoderation"]
            )
        except ValidationError as error:
            form.add_error("premoderation", error)
        else:
            messages.success(request, _("De instelling is opgeslagen."))
            return redirect("premoderation:pending_list", slug=community.slug)
    return _render(request, community, setting_form=form, status=400)


@login_required
@require_POST
def post_decide(request, slug, kind, pk):
    community = community_selectors.community_get_visible(request.user, slug)
    if not community_selectors.user_can_manage(request.user, community):
        raise PermissionDenied
    try:
        post = premoderation.pending_post_get(community, kind, pk)
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    action = request.POST.get("action")
    try:
        if action == "approve":
            premoderation.post_approve(by=request.user, obj=post)
            messages.success(request, _("Goedgekeurd: het staat nu online."))
        elif action == "reject":
            form = RejectForm(request.POST, auto_id=f"reden-{kind}-{pk}-%s")
            if not form.is_valid():
                return _render(request, community, failed=(kind, pk, form), status=400)
            premoderation.post_reject(by=request.user, obj=post, reason=form.cleaned_data["reason"])
            messages.success(request, _("Afgewezen. De schrijver krijgt je reden te lezen."))
        else:
            messages.error(request, _("Onbekende actie."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("premoderation:pending_list", slug=community.slug)
