"""Titles from the library's catalogue for a contribution (issue 14): a page of its own, so
the contribution page never waits for the catalogue."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from knowledge.selectors import contribution_get_visible
from sharing.templatetags.sharing_tags import is_public_content

from .catalogue import catalogue_search


@login_required
def catalogue_suggestions(request, pk: int):
    """Members only: every search is a request to another organisation's catalogue. The term
    is the reader's, or else the title of a public contribution; a private one's title never
    leaves the site unless the reader types it."""
    if not settings.CATALOGUE_PROVIDER:
        raise Http404
    contribution = contribution_get_visible(request.user, pk)
    typed = " ".join(request.GET.get("q", "").split())[:200]
    term = typed or (contribution.title if is_public_content(contribution) else "")
    return render(
        request,
        "sources/catalogue_suggestions.html",
        {"contribution": contribution, "term": term, "titles": catalogue_search(term)},
    )
