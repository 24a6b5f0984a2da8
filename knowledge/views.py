"""Themes, contributions, comments and appreciations on the residents' site."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from attachments import selectors as attachment_selectors
from communities import selectors as community_selectors
from communities.suspension import is_suspended, require_can_act
from kenniscloud.common.ratelimit import RateLimited, rate_limited_response
from plainlanguage.preview import readability_preview

from . import selectors, services
from .forms import CommentForm, ContributionForm
from .models import Contribution
from .parts import parts_from
from .services import MEMBER_KINDS


def theme_list(request):
    return render(
        request,
        "knowledge/theme_list.html",
        {"themes": selectors.theme_list_with_counts(request.user)},
    )


def theme_detail(request, slug):
    """The theme's page: its published dossier, if any, around the live lists."""
    theme, dossier = selectors.theme_get_with_live_dossier(slug)
    return render(
        request,
        "knowledge/theme_detail.html",
        selectors.theme_page_context(request.user, theme, dossier=dossier),
    )


def tag_detail(request, slug):
    """/tags/<slug>/, "Alles over …": contributions and members with the tag, across the
    communities the visitor may see."""
    tag = selectors.tag_resolve(slug)
    if tag is None or not tag.slug:  # taggit leaves the slug empty for a name like "?!"
        raise Http404
    if tag.slug != slug:
        return redirect("knowledge:tag_detail", slug=tag.slug, permanent=True)
    context = selectors.tag_page_context(request.user, tag, page=request.GET.get("pagina"))
    if context is None:
        raise Http404
    return render(request, "knowledge/tag_detail.html", context)


def _community_for_new(request):
    slug = request.GET.get("gemeenschap") or request.POST.get("gemeenschap")
    if not slug:
        return None
    return community_selectors.community_get_visible(request.user, slug)


PREFILL_BODY_MAX = 200


def _prefill(request) -> dict:
    """What a link may fill in on the new-contribution form (Wie weet wat's "Stel een vraag":
    `?kind=question&body=@handle `). Only a kind members may choose, and a short body."""
    initial = {}
    if request.GET.get("kind") in MEMBER_KINDS:
        initial["kind"] = request.GET["kind"]
    body = request.GET.get("body", "")
    if body and len(body) <= PREFILL_BODY_MAX:
        initial["body"] = body
    return initial


@login_required
def contribution_create(request):
    # Suspended: the 403 page says until when and why, instead of a form they cannot send.
    require_can_act(request.user)
    community = _community_for_new(request)
    if community is None:
        return render(
            request,
            "knowledge/contribution_choose_community.html",
            {
                "communities": community_selectors.member_communities_visible_to(
                    request.user, request.user
                )
            },
        )
    if not community_selectors.user_is_active_member(request.user, community):
        messages.error(request, _("Word eerst lid om hier iets te plaatsen."))
        return redirect(community)
    form = ContributionForm(
        request.POST or None,
        request.FILES or None,
        initial={"themes": list(community.themes.all()), **_prefill(request)},
    )
    limited = None
    # "Controleer de leesbaarheid": the form again with the advice, nothing saved.
    readability = readability_preview(request, form)
    if request.method == "POST" and readability is None and form.is_valid():
        data = form.cleaned_data
        try:
            contribution = services.contribution_create(
                author=request.user,
                community=community,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                # Nothing ticked: the service falls back to the community's themes.
                themes=list(data["themes"]) or None,
                source_url=data["source_url"],
                parts=form.parts(),
                attachments=form.attachments_to_add(),
            )
        except ValidationError as error:
            # A rate limit too: the form again with what they typed, and 429 (see below).
            form.add_error(None, error)
            limited = error if isinstance(error, RateLimited) else None
        else:
            if contribution.is_pending:
                messages.info(
                    request,
                    _(
                        "Je bijdrage wacht op goedkeuring door een beheerder van de gemeenschap. "
                        "Tot dan zie alleen jij haar."
                    ),
                )
            else:
                messages.success(request, _("Je bijdrage staat online."))
            return redirect(contribution)
    response = render(
        request,
        "knowledge/contribution_form.html",
        {"form": form, "community": community, "readability": readability},
    )
    return rate_limited_response(response, limited)


@login_required
def contribution_edit(request, pk):
    contribution = selectors.contribution_get_visible(request.user, pk)
    if contribution.author_id != request.user.pk:
        raise PermissionDenied
    require_can_act(request.user)
    initial = {
        "kind": contribution.kind,
        "title": contribution.title,
        "body": contribution.body,
        "source_url": contribution.source_url,
        "tags": ", ".join(t.name for t in contribution.tags.all()),
        "themes": list(contribution.themes.all()),
        **parts_from(vars(contribution)),
    }
    form = ContributionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        existing=attachment_selectors.attachment_list_for_contribution(contribution),
    )
    readability = readability_preview(request, form)  # the check button: nothing saved
    if request.method == "POST" and readability is None and form.is_valid():
        data = form.cleaned_data
        try:
            services.contribution_update(
                by=request.user,
                contribution=contribution,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
                themes=list(data["themes"]),
                source_url=data["source_url"],
                parts=form.parts(),
                attachments=form.attachments_to_add(),
                attachments_remove=form.attachments_to_remove(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Je wijzigingen zijn opgeslagen."))
            return redirect(contribution)
    return render(
        request,
        "knowledge/contribution_form.html",
        {
            "form": form,
            "community": contribution.community,
            "contribution": contribution,
            "readability": readability,
        },
    )


def _render_contribution(request, contribution, *, comment_form, status=200):
    """The contribution page; also re-rendered with a comment form that has errors."""
    access = community_selectors.community_access(request.user, contribution.community)
    # Hidden or waiting: only its author and moderators see it, and nobody replies there.
    comments_closed = contribution.status != Contribution.Status.PUBLISHED
    threads = selectors.comment_threads_for(
        contribution, request.user, can_manage=access.can_manage
    )
    # The answers of a question on top, above the other comments (issue 14). Marks stay when
    # the author makes a question of it something else; they count only while it is a question.
    answers: list = []
    if contribution.kind == Contribution.Kind.QUESTION:
        answers, threads = selectors.answers_first(threads)
    return render(
        request,
        "knowledge/contribution_detail.html",
        {
            "contribution": contribution,
            "answers": answers,
            "threads": threads,
            "can_mark_answers": not comments_closed
            and services.user_may_mark_answers(request.user, contribution),
            "can_manage": access.can_manage,
            # A suspended member reads the thread; the suspension stands where the form was.
            "can_comment": (
                access.is_member and not is_suspended(request.user) and not comments_closed
            ),
            "comments_closed": comments_closed,
            "appreciated": selectors.user_appreciated(request.user, contribution),
            "checked_in_dossiers": selectors.dossier_picks_of_contribution(contribution),
            "related": selectors.contribution_list_related(request.user, contribution),
            "comment_form": comment_form,
        },
        status=status,
    )


def contribution_detail(request, pk):
    contribution = selectors.contribution_get_visible(request.user, pk)
    return _render_contribution(request, contribution, comment_form=CommentForm())


@login_required
@require_POST
def contribution_moderate(request, pk):
    contribution = selectors.contribution_get_visible(request.user, pk)
    status = request.POST.get("status", "")
    try:
        services.contribution_set_status(by=request.user, contribution=contribution, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(contribution)
    if status == Contribution.Status.HIDDEN:
        messages.success(request, _("De bijdrage is verborgen voor anderen."))
    else:
        messages.success(request, _("De bijdrage is weer zichtbaar."))
    return redirect(contribution)


@login_required
@require_POST
def contribution_appreciate(request, pk):
    contribution = selectors.contribution_get_visible(request.user, pk)
    try:
        services.appreciation_toggle(user=request.user, contribution=contribution)
    except RateLimited as error:
        return _appreciation_refused(request, contribution, error)
    return redirect(f"{contribution.get_absolute_url()}#waardering")


def _appreciation_refused(request, contribution, error: RateLimited):
    """The contribution page again, 429, with why at the top (the messages)."""
    messages.error(request, error.message)
    response = _render_contribution(request, contribution, comment_form=CommentForm(), status=429)
    return rate_limited_response(response, error)


@login_required
@require_POST
def comment_create(request, pk):
    contribution = selectors.contribution_get_visible(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        parent = selectors.comment_get(contribution, parent_id) if parent_id else None
        if parent is not None and parent.is_pending:
            raise Http404  # not answerable before it is approved
        try:
            comment = services.comment_create(
                author=request.user,
                contribution=contribution,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except RateLimited as error:
            form.add_error(None, error)
            response = _render_contribution(request, contribution, comment_form=form)
            return rate_limited_response(response, error)
        except ValidationError as error:
            form.add_error(None, error)  # a duplicate, too many links: next to the text
        except PermissionDenied as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            if comment.is_pending:
                messages.info(
                    request,
                    _(
                        "Je reactie wacht op goedkeuring door een beheerder van de gemeenschap. "
                        "Tot dan zie alleen jij haar."
                    ),
                )
            else:
                messages.success(request, _("Je reactie is geplaatst."))
            return redirect(f"{contribution.get_absolute_url()}#reactie-{comment.pk}")
    return _render_contribution(request, contribution, comment_form=form, status=400)


@login_required
def comment_edit(request, pk, comment_id):
    contribution = selectors.contribution_get_visible(request.user, pk)
    comment = selectors.comment_get(contribution, comment_id)
    if comment.author_id != request.user.pk or comment.is_deleted:
        raise PermissionDenied
    require_can_act(request.user)
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                by=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)  # too many links for a new member: next to the text
        else:
            messages.success(request, _("Je reactie is aangepast."))
            return redirect(f"{contribution.get_absolute_url()}#reactie-{comment.pk}")
    return render(
        request,
        "knowledge/comment_form.html",
        {"form": form, "contribution": contribution, "comment": comment},
    )


@login_required
def comment_delete(request, pk, comment_id):
    """GET: the comment and what deleting it means (the confirmation step); POST: delete it."""
    contribution = selectors.contribution_get_visible(request.user, pk)
    comment = selectors.comment_get(contribution, comment_id)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    back = redirect(f"{contribution.get_absolute_url()}#reactie-{comment.pk}")
    if comment.is_deleted:
        return back
    if request.method == "POST":
        services.comment_delete(by=request.user, comment=comment)
        messages.success(request, _("Je reactie is verwijderd."))
        return back
    return render(
        request,
        "knowledge/comment_delete.html",
        {"contribution": contribution, "comment": comment},
    )


@login_required
@require_POST
def comment_action(request, pk, comment_id):
    """Hide or restore a comment as a host, or appreciate it. (Deleting your own goes through
    comment_delete, which asks first.)"""
    contribution = selectors.contribution_get_visible(request.user, pk)
    comment = selectors.comment_get(contribution, comment_id)
    action = request.POST.get("action")
    if action in ("hide", "restore"):
        status = Contribution.Status.HIDDEN if action == "hide" else Contribution.Status.PUBLISHED
        try:
            services.comment_set_status(by=request.user, comment=comment, status=status)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De reactie is aangepast."))
    elif action == "appreciate":
        if comment.is_deleted or comment.is_hidden or comment.is_pending:
            raise Http404
        try:
            services.appreciation_toggle(user=request.user, comment=comment)
        except RateLimited as error:
            return _appreciation_refused(request, contribution, error)
    else:
        messages.error(request, _("Onbekende actie."))
    return redirect(f"{contribution.get_absolute_url()}#reactie-{comment.pk}")


@login_required
@require_POST
def comment_answer(request, pk, comment_id):
    """Mark a comment as the answer to the question (`answer=1`), or withdraw the mark."""
    contribution = selectors.contribution_get_visible(request.user, pk)
    comment = selectors.comment_get(contribution, comment_id)
    marking = request.POST.get("answer") == "1"
    try:
        if marking:
            services.answer_mark(by=request.user, comment=comment)
        else:
            services.answer_unmark(by=request.user, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if marking:
            messages.success(request, _("Gemarkeerd als antwoord. De vraag is beantwoord."))
        else:
            messages.success(request, _("Deze reactie is niet langer gemarkeerd als antwoord."))
    return redirect(f"{contribution.get_absolute_url()}#reactie-{comment.pk}")


OPEN_QUESTIONS_PER_PAGE = 20


def open_questions_community(request, slug):
    """/gemeenschappen/<slug>/vragen/: the community's questions still waiting for an answer,
    the one waiting longest first (a private community's for its members only: 404)."""
    community = community_selectors.community_get_visible(request.user, slug)
    questions = selectors.question_list_open(request.user, community=community)
    return _render_open_questions(request, questions, community=community)


def open_questions_theme(request, slug):
    """/themas/<slug>/vragen/: open questions on a theme, across the communities the visitor
    may see."""
    theme = community_selectors.theme_get(slug)
    questions = selectors.question_list_open(request.user, theme=theme)
    return _render_open_questions(request, questions, theme=theme)


def _render_open_questions(request, questions, *, community=None, theme=None):
    page = Paginator(questions, OPEN_QUESTIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "knowledge/open_questions.html",
        {
            "community": community,
            "theme": theme,
            "page": page,
            "questions": list(page.object_list),
        },
    )


# --- Earlier versions (issue 14) ---------------------------------------------------------------


@login_required
def contribution_versions(request, pk):
    """/bijdragen/<pk>/versies/: what the contribution said before each edit, for its author
    and the community's hosts and moderators (404 for anyone else)."""
    contribution, revisions = selectors.contribution_revisions_visible(request.user, pk)
    return render(
        request,
        "knowledge/versions.html",
        {"contribution": contribution, "comment": None, "revisions": revisions},
    )


@login_required
def comment_versions(request, pk, comment_id):
    """The same for a comment: its author and the community's hosts and moderators."""
    contribution, comment, revisions = selectors.comment_revisions_visible(
        request.user, pk, comment_id
    )
    return render(
        request,
        "knowledge/versions.html",
        {"contribution": contribution, "comment": comment, "revisions": revisions},
    )
