"""Which contributions and comments a viewer gets to see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from knowledge import selectors
from knowledge.models import Contribution
from tests.communities.factories import MembershipFactory
from tests.knowledge.factories import AppreciationFactory, CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(community, membership):
    return ContributionFactory(community=community, author=membership.user, title="Zichtbaar")


@pytest.fixture
def hidden(community, membership):
    return ContributionFactory(
        community=community,
        author=membership.user,
        title="Verborgen",
        status=Contribution.Status.HIDDEN,
    )


@pytest.fixture
def secret(private_community):
    insider = MembershipFactory(community=private_community).user
    return ContributionFactory(community=private_community, author=insider, title="Geheim")


def _titles(viewer, **kwargs) -> list[str]:
    return [c.title for c in selectors.contribution_list_visible_to(viewer, **kwargs)]


def test_hidden_contributions_are_not_listed(published, hidden, host):
    assert _titles(AnonymousUser()) == ["Zichtbaar"]
    assert _titles(host) == ["Zichtbaar"]  # Even the host's lists leave them out.


def test_hidden_contributions_are_listed_on_request(published, hidden):
    assert sorted(_titles(AnonymousUser(), include_hidden=True)) == ["Verborgen", "Zichtbaar"]


def test_hidden_contribution_is_404_for_others(hidden, outsider):
    for viewer in (AnonymousUser(), outsider):
        with pytest.raises(Http404):
            selectors.contribution_get_visible(viewer, hidden.pk)
    # Its author reads why it is hidden (issue 11).
    assert selectors.contribution_get_visible(hidden.author, hidden.pk) == hidden


def test_hidden_contribution_is_visible_to_the_host(hidden, host, librarian):
    hidden.community.library.librarians.add(librarian)

    assert selectors.contribution_get_visible(host, hidden.pk) == hidden
    assert selectors.contribution_get_visible(librarian, hidden.pk) == hidden


def test_hidden_contribution_is_404_for_a_host_elsewhere(hidden):
    other_host = MembershipFactory(host=True).user

    with pytest.raises(Http404):
        selectors.contribution_get_visible(other_host, hidden.pk)


def test_private_contributions_are_invisible_to_outsiders(published, secret, outsider):
    for viewer in (AnonymousUser(), outsider):
        assert _titles(viewer) == ["Zichtbaar"]
        with pytest.raises(Http404):
            selectors.contribution_get_visible(viewer, secret.pk)


def test_private_contributions_are_invisible_to_pending_members(secret, member):
    MembershipFactory(community=secret.community, user=member, pending=True)

    assert _titles(member) == []
    with pytest.raises(Http404):
        selectors.contribution_get_visible(member, secret.pk)


def test_private_contributions_are_visible_to_members(published, secret, member):
    MembershipFactory(community=secret.community, user=member)

    assert sorted(_titles(member)) == ["Geheim", "Zichtbaar"]
    assert selectors.contribution_get_visible(member, secret.pk) == secret


def test_list_filters_by_community_theme_and_author(published, theme, community, outsider):
    themed = ContributionFactory(community=community, title="Met thema", themes=[theme])
    mine = ContributionFactory(community=community, author=outsider, title="Van mij")
    ContributionFactory(title="Ergens anders")

    assert set(_titles(AnonymousUser(), community=community)) == {
        "Zichtbaar",
        themed.title,
        mine.title,
    }
    assert _titles(AnonymousUser(), theme=theme) == ["Met thema"]
    assert _titles(AnonymousUser(), author=outsider) == ["Van mij"]


def test_list_counts_visible_comments_and_appreciations(published, host):
    CommentFactory(contribution=published)
    CommentFactory(contribution=published, status=Contribution.Status.HIDDEN)
    deleted = CommentFactory(contribution=published)
    deleted.deleted_at = deleted.created_at
    deleted.save()
    AppreciationFactory(contribution=published, user=host)
    AppreciationFactory(contribution=published)

    listed = selectors.contribution_list_visible_to(AnonymousUser()).get()

    assert listed.comment_count == 1
    assert listed.appreciation_count == 2


def test_comment_threads_nest_replies_and_hide_hidden_ones(published, host):
    first = CommentFactory(contribution=published, body="eerste")
    reply = CommentFactory(contribution=published, parent=first, body="antwoord")
    hidden = CommentFactory(
        contribution=published, body="verborgen", status=Contribution.Status.HIDDEN
    )
    AppreciationFactory(comment=reply, contribution=None, user=host)

    for_visitor = selectors.comment_threads_for(published, AnonymousUser(), can_manage=False)
    for_host = selectors.comment_threads_for(published, host, can_manage=True)

    assert [c.pk for c in for_visitor] == [first.pk]
    assert [r.pk for r in for_visitor[0].reply_list] == [reply.pk]
    assert for_visitor[0].reply_list[0].appreciation_count == 1
    assert [c.pk for c in for_host] == [first.pk, hidden.pk]
    assert for_host[0].reply_list[0].appreciated is True
    assert for_host[0].appreciated is False


def test_theme_counts_respect_visibility(theme, community, published, secret, outsider):
    secret.community.themes.add(theme)
    secret.themes.add(theme)
    published.themes.add(theme)
    insider = secret.author

    for_outsider = selectors.theme_list_with_counts(outsider).get(pk=theme.pk)
    for_insider = selectors.theme_list_with_counts(insider).get(pk=theme.pk)

    assert (for_outsider.community_count, for_outsider.contribution_count) == (1, 1)
    assert (for_insider.community_count, for_insider.contribution_count) == (2, 2)
