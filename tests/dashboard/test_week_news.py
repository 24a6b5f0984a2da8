"""'Nieuw deze week': the first panel of the admin home, for librarians.

The clock stands on Wednesday 9 December 2026, 10:00 in Amsterdam; the week is Thursday
3 December 00:00 up to now. Library A (the librarian's) has Ahorn; library B has Beuk, whose
activity must never show.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from communities.models import Membership
from communities.selectors import LIBRARIAN_GROUP, ORGANISER_GROUP
from dashboard import selectors
from knowledge.models import Comment, Contribution
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    UserFactory,
)
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.mfa import admin_login
from tests.moderation.cases import case_for
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

HOME = "/cms/"


def librarian_group() -> Group:
    """The group with its way into the admin (a transactional test elsewhere in the run may
    have flushed the migration's permissions)."""
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    return group


@pytest.fixture
def week(clock):
    clock.set("2026-12-09T10:00")
    ahorn = CommunityFactory(title="Ahorn", slug="ahorn", library=LibraryFactory(name="A"))
    beuk = CommunityFactory(title="Beuk", slug="beuk", library=LibraryFactory(name="B"))
    librarian = UserFactory(display_name="Lotte Bibliothecaris")
    librarian.groups.add(librarian_group())
    ahorn.library.librarians.add(librarian)
    return {"clock": clock, "ahorn": ahorn, "beuk": beuk, "librarian": librarian}


def _at(clock, moment: str, make):
    """Make a row with `created_at` (auto_now_add) at `moment`, Amsterdam time."""
    now = clock.now()
    clock.set(moment)
    row = make()
    clock.set(now)
    return row


def test_the_week_starts_at_midnight_in_amsterdam_six_days_ago(week):
    clock, ahorn = week["clock"], week["ahorn"]
    # One minute before the week, and the first minute of it (Amsterdam, not UTC).
    _at(clock, "2026-12-02T23:59", lambda: ContributionFactory(community=ahorn, title="Oud"))
    _at(clock, "2026-12-03T00:00", lambda: ContributionFactory(community=ahorn, title="Eerste"))

    news = selectors.week_news_for(week["librarian"])

    assert news.period.first_day.isoformat() == "2026-12-03"
    assert [c.title for c in news.contributions.rows] == ["Eerste"]
    assert news.contributions.count == 1


def test_only_the_librarians_own_communities_and_what_still_counts(week):
    ahorn, beuk = week["ahorn"], week["beuk"]
    author = UserFactory(display_name="Bea Bewoner")
    post = ContributionFactory(community=ahorn, author=author, title="Zonnepanelen op het dak")
    ContributionFactory(community=ahorn, title="Verborgen", status=Contribution.Status.HIDDEN)
    ContributionFactory(community=beuk, title="Bij de buren")
    CommentFactory(contribution=post, author=author, body="Goed **idee**")
    CommentFactory(contribution=post, body="Weg", deleted_at=week["clock"].now())
    CommentFactory(contribution=ContributionFactory(community=beuk), body="Buren")
    MembershipFactory(community=ahorn, user=author)
    MembershipFactory(community=beuk, user=UserFactory(display_name="Buurvrouw"))
    asking = MembershipFactory(
        community=ahorn, user=UserFactory(display_name="Vera Vraagt"), pending=True
    )
    MembershipFactory(community=beuk, user=UserFactory(display_name="Ver Weg"), pending=True)
    case_for(post)
    case_for(ContributionFactory(community=beuk))

    news = selectors.week_news_for(week["librarian"])

    assert [c.title for c in news.contributions.rows] == ["Zonnepanelen op het dak"]
    assert [c.excerpt for c in news.comments.rows] == ["Goed idee"]
    assert [m.user.display_name for m in news.members.rows] == ["Bea Bewoner"]
    assert [m.pk for m in news.pending.rows] == [asking.pk]
    assert [item.case.community for item in news.reports.rows] == [ahorn]
    assert (news.contributions.count, news.comments.count, news.members.count) == (1, 1, 1)
    assert (news.pending.count, news.reports.count) == (1, 1)


def test_open_requests_and_reports_stay_whatever_their_age(week):
    clock, ahorn = week["clock"], week["ahorn"]
    old_post = _at(clock, "2026-10-01T12:00", lambda: ContributionFactory(community=ahorn))
    _at(
        clock,
        "2026-10-01T12:00",
        lambda: MembershipFactory(community=ahorn, pending=True, user__display_name="Geduldig"),
    )
    case_for(old_post)

    news = selectors.week_news_for(week["librarian"])

    assert news.contributions.rows == []
    assert [m.user.display_name for m in news.pending.rows] == ["Geduldig"]
    assert news.reports.count == 1


def test_comment_text_is_short_plain_and_escaped_on_the_page(client, week):
    post = ContributionFactory(community=week["ahorn"], title="Isoleren")
    CommentFactory(
        contribution=post, body="Tom & Jerry <script>alert(1)</script> **vet** " + "woord " * 60
    )
    admin_login(client, week["librarian"])

    html = client.get(HOME).content.decode()

    comment = Comment.objects.get()
    excerpt = selectors.comment_excerpt(comment)
    assert excerpt.startswith("Tom & Jerry")
    assert len(excerpt) <= selectors.EXCERPT_CHARS and excerpt.endswith("…")
    # What the member typed is text: the Markdown is gone, a tag they typed stays visible.
    assert "**" not in excerpt and "<script>alert(1)</script> vet woord" in excerpt
    # On the page: escaped once, never as markup.
    assert "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; vet" in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    assert "<script>alert(1)" not in html
    assert f"#reactie-{comment.pk}" in html


def test_panel_comes_first_and_links_each_request_to_its_decision(client, week):
    ahorn = week["ahorn"]
    asking = MembershipFactory(
        community=ahorn, user=UserFactory(display_name="Vera Vraagt"), pending=True
    )
    ContributionFactory(community=ahorn, title="Een nieuwe vraag")
    admin_login(client, week["librarian"])

    response = client.get(HOME)

    html = response.content.decode()
    text = page_text(response)
    panels = re.findall(r'<section class="w-panel[^"]*" id="([\w-]+)"', html)
    assert panels[0] == "week-news-section", panels
    assert "Nieuw deze week" in text
    assert "Sinds donderdag 3 december" in text
    decide = reverse("wagtailsnippets_communities_membership:edit", args=[asking.pk])
    assert re.search(
        rf'<a href="{decide}">\s*Goedkeuren of afwijzen <span class="w-sr-only">'
        r"\(aanvraag van Vera Vraagt\)",
        html,
    )
    assert "Vera Vraagt wil lid worden van Ahorn" in text
    assert "Een nieuwe vraag" in text
    # The decision itself works from there: approving makes the request a membership.
    form = client.get(decide)
    assert form.status_code == 200


def test_more_than_the_panel_lists_links_to_the_full_listing(client, week):
    ahorn = week["ahorn"]
    for n in range(selectors.WEEK_LIST_LIMIT + 2):
        MembershipFactory(community=ahorn, pending=True, user__display_name=f"Vrager {n}")
    admin_login(client, week["librarian"])

    text = page_text(client.get(HOME))

    assert "Aanvragen om lid te worden (7)" in text
    assert "Nog 2 aanvragen" in text
    # The link leads to the listing of open requests, all seven of them.
    listing = reverse("wagtailsnippets_communities_membership:list") + "?state=pending"
    assert f'href="{listing}"' in client.get(HOME).content.decode()
    listed = page_text(client.get(listing))
    assert all(f"Vrager {n}" in listed for n in range(7))
    member = MembershipFactory(community=ahorn, user__display_name="Al Lid")
    assert member.state == Membership.State.ACTIVE
    assert "Al Lid" not in page_text(client.get(listing))


def test_organisers_do_not_get_the_panel(client, week):
    organiser = UserFactory()
    organiser.groups.add(Group.objects.get(name=ORGANISER_GROUP))
    admin_login(client, organiser)

    assert "Nieuw deze week" not in page_text(client.get(HOME))


def test_admin_home_costs_the_same_for_3_and_30_of_everything(client, week):
    ahorn = week["ahorn"]
    admin_login(client, week["librarian"])

    def add(n):
        for _i in range(n):
            person = UserFactory()
            post = ContributionFactory(community=ahorn, author=person)
            CommentFactory(contribution=post, author=person)
            MembershipFactory(community=ahorn, user=person)
            MembershipFactory(community=ahorn, pending=True)
            case_for(post)
            week["clock"].tick(timedelta(seconds=1))

    assert_constant_queries(client, HOME, add, label="admin home (librarian)")
