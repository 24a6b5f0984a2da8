"""What the key pages cost to render: queries and the work around them, never time.

These lock in what made the home page and the theme dossier cheaper for logged-in members (who
are never served from the page cache): lists read only when shown, tags prefetched into a plain
list, counts per listed row instead of over joins of the whole site, the theme and its dossier
in one query. Timings are measured by `make bench`, not here.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import Http404
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from communities.models import Community, Theme
from communities.templatetags.community_tags import choice_label
from knowledge.models import Contribution, HomePage
from knowledge.selectors import (
    contribution_list_visible_to,
    home_lists,
    theme_get_with_live_dossier,
    theme_list_with_counts,
)
from tests.communities.factories import CommunityFactory, MembershipFactory, ThemeFactory
from tests.knowledge.factories import (
    AppreciationFactory,
    CommentFactory,
    ContributionFactory,
    dossier_create,
)

pytestmark = pytest.mark.django_db


def test_home_lists_read_themes_and_communities_only_when_shown(
    community, django_assert_num_queries
):
    ContributionFactory(community=community, tags=["isolatie"])

    # Every list is read only when shown: for members the contribution lists are a shared
    # fragment (kenniscloud/common/fragments.py), and a kept one is not read at all.
    with django_assert_num_queries(0):
        lists = home_lists(AnonymousUser())
    with django_assert_num_queries(2):  # the contributions and their tags, both lists at once
        assert len(lists["latest_contributions"]) == 1
        assert list(lists["featured_contributions"]) == []
    with django_assert_num_queries(1):
        assert [t.title for t in lists["themes"]] == ["Duurzaam wonen"]
    with django_assert_num_queries(2):  # the communities and their themes
        assert [c.title for c in lists["communities"]] == [community.title]


def test_home_page_with_blocks_counts_the_themes_once(client, community):
    """The blocks show their own theme list; the default one is not read behind them."""
    home = HomePage.objects.get()
    home.body = [{"type": "featured_themes", "value": {"heading": "Thema's", "themes": []}}]
    home.save_revision().publish()
    Theme.objects.update(featured=True)
    client.get("/")

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")

    assert "Duurzaam wonen" in response.content.decode()
    theme_counts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "communities_theme"') and "_counted" in q["sql"]
    ]
    assert len(theme_counts) == 1


def test_contribution_card_renders_tags_and_kind_without_queries(
    community, django_assert_num_queries
):
    ContributionFactory(
        community=community, kind=Contribution.Kind.IDEA, tags=["isolatie", "subsidie"]
    )
    [listed] = contribution_list_visible_to(AnonymousUser())

    with django_assert_num_queries(0):
        html = render_to_string("includes/contribution_card.html", {"contribution": listed})

    # Each tag links to its page /tags/<slug>/, still without a query.
    assert '<a class="tag" href="/tags/isolatie/">isolatie</a>' in html
    assert '<a class="tag" href="/tags/subsidie/">subsidie</a>' in html
    assert ">Idee</span>" in html


def test_list_counts_each_contribution_on_its_own(community, member):
    """Comments and appreciations of one contribution do not multiply each other's counts."""
    busy = ContributionFactory(community=community, title="Druk")
    ContributionFactory(community=community, title="Stil")
    CommentFactory.create_batch(2, contribution=busy)
    CommentFactory(contribution=busy, status=Contribution.Status.HIDDEN)
    deleted = CommentFactory(contribution=busy)
    deleted.deleted_at = deleted.created_at
    deleted.save()
    AppreciationFactory.create_batch(3, contribution=busy)

    counts = {
        c.title: (c.comment_count, c.appreciation_count)
        for c in contribution_list_visible_to(member)
    }

    assert counts == {"Druk": (2, 3), "Stil": (0, 0)}


def test_theme_counts_follow_what_the_viewer_may_see(theme, community, private_community, member):
    private_community.themes.add(theme)
    ContributionFactory(community=community, themes=[theme])
    ContributionFactory(community=community, themes=[theme], status=Contribution.Status.HIDDEN)
    ContributionFactory(community=private_community, themes=[theme])
    ThemeFactory(title="Leeg")
    MembershipFactory(community=private_community, user=member)

    def counts(viewer):
        return {
            t.title: (t.community_count, t.contribution_count)
            for t in theme_list_with_counts(viewer)
        }

    assert counts(AnonymousUser()) == {"Duurzaam wonen": (1, 1), "Leeg": (0, 0)}
    assert counts(member) == {"Duurzaam wonen": (2, 2), "Leeg": (0, 0)}


def test_theme_and_published_dossier_in_one_query(theme, librarian, django_assert_num_queries):
    dossier_create(theme, reviewed_by=librarian)

    with django_assert_num_queries(1):
        found, dossier = theme_get_with_live_dossier(theme.slug)
        assert (found, dossier.reviewed_by.display_name) == (theme, "Lotte Librarian")


def test_theme_without_published_dossier(theme):
    other = ThemeFactory()
    dossier_create(other, publish=False)

    assert theme_get_with_live_dossier(theme.slug) == (theme, None)
    assert theme_get_with_live_dossier(other.slug) == (other, None)
    with pytest.raises(Http404):
        theme_get_with_live_dossier("bestaat-niet")


def test_choice_label_is_what_get_display_shows_in_each_language():
    community = CommunityFactory.build(visibility=Community.Visibility.ON_REQUEST)
    contribution = ContributionFactory.build(kind=Contribution.Kind.EXPERIENCE)

    for language in ("nl", "en"):
        with translation.override(language):
            assert str(choice_label(contribution, "kind")) == contribution.get_kind_display()
            assert str(choice_label(community, "visibility")) == community.get_visibility_display()
    with translation.override("en"):
        assert str(choice_label(contribution, "kind")) == "Experience"
