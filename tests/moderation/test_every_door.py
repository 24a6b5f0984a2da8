"""Hidden, waiting and suspended-from-view things reach nobody through any door, and come back
on restore (issue 11): community, tag, theme, home and profile pages, "Voor jou", search
(results, counts, facets, suggestions), digests, notifications, related contributions,
comment counts, calendars and the anonymous page cache.

Three contributions share a tag, a theme and a search word: one published (the control, which
every door must show, so a door that shows nothing cannot pass), one waiting for approval and
one hidden.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from communities.models import Membership
from dashboard.selectors import WINDOWS, activity_overview
from kenniscloud.common.middleware import HEADER
from knowledge import selectors as knowledge_selectors
from knowledge import services as knowledge_services
from knowledge.models import Contribution
from meetups.models import Meetup
from moderation import premoderation
from notifications.digest import DigestBuilder
from notifications.models import CommunityFollow, Notification
from search.selectors import search_for, search_suggest
from tests.communities.factories import MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory
from tests.notifications.factories import current_period
from tests.notifications.test_home import for_you
from tests.test_cache import _get, home, page_cache  # noqa: F401  # fixtures

pytestmark = pytest.mark.django_db

SHOWN = "Kastanjeboom"
WAITING = "Walnotenboom"
HIDDEN = "Vlierboom"
WORD = "boomgaard"  # in every body: one search finds all three


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    settings.RATE_LIMITS = {}
    settings.MODERATION_DUPLICATE_MINUTES = 0


@pytest.fixture
def world(django_capture_on_commit_callbacks, community, theme, host, member, membership):
    """The three contributions (by Mila), a reader who follows the community, comments."""
    reader = MembershipFactory(community=community, user__display_name="Rik Reader").user
    CommunityFollow.objects.create(
        user=reader, community=community, level=CommunityFollow.Level.ALL
    )
    with django_capture_on_commit_callbacks(execute=True):
        shown = knowledge_services.contribution_create(
            author=member,
            community=community,
            kind="question",
            title=SHOWN,
            body=f"Wie snoeit de {WORD}?",
            tags=["fruitbomen"],
        )
        hidden = knowledge_services.contribution_create(
            author=member,
            community=community,
            kind="question",
            title=HIDDEN,
            body=f"Een {WORD} vol vlier.",
            tags=["fruitbomen"],
        )
        knowledge_services.contribution_set_status(by=host, contribution=hidden, status="hidden")
        community.premoderation = "all"
        community.save(update_fields=["premoderation"])
        waiting = knowledge_services.contribution_create(
            author=member,
            community=community,
            kind="question",
            title=WAITING,
            body=f"Noten uit de {WORD}.",
            tags=["fruitbomen"],
        )
        # On the control: one published comment, one waiting, one hidden.
        CommentFactory(contribution=shown, author=reader, body="Ik help graag.")
        knowledge_services.comment_create(
            author=member, contribution=shown, body="Wachtende reactie over walnoten"
        )
        hidden_comment = knowledge_services.comment_create(
            author=host, contribution=shown, body="Verborgen reactie over vlier"
        )
        knowledge_services.comment_set_status(by=host, comment=hidden_comment, status="hidden")
    assert (shown.status, waiting.status, hidden.status) == ("published", "pending", "hidden")
    return {
        "shown": shown,
        "waiting": waiting,
        "hidden": hidden,
        "reader": reader,
        "hidden_comment": hidden_comment,
    }


def _only_shown(text: str, where: str) -> None:
    assert SHOWN in text, f"{where}: the control is missing, so the check proves nothing"
    assert WAITING not in text, f"{where}: shows the waiting contribution"
    assert HIDDEN not in text, f"{where}: shows the hidden contribution"


def _all_shown(text: str, where: str) -> None:
    for title in (SHOWN, WAITING, HIDDEN):
        assert title in text, f"{where}: {title} did not come back"


def _restore(django_capture_on_commit_callbacks, world, host) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        premoderation.post_approve(by=host, obj=world["waiting"])
        knowledge_services.contribution_set_status(
            by=host, contribution=world["hidden"], status="published"
        )


def _page_doors(client, community, theme) -> dict[str, str]:
    return {
        "community page": page_text(client.get(community.get_absolute_url())),
        "tag page": page_text(client.get(reverse("knowledge:tag_detail", args=["fruitbomen"]))),
        "theme page": page_text(client.get(theme.get_absolute_url())),
        "home page": page_text(client.get("/")),
        "profile": page_text(client.get(reverse("communities:member_detail", args=["mila"]))),
    }


def _search_doors(viewer) -> dict[str, str]:
    result = search_for(viewer, WORD)
    suggestions = search_suggest(viewer, "boom")
    return {
        "search results": " ".join(str(hit.title) for hit in result.hits),
        "search suggestions": " ".join(s.title for group in suggestions for s in group.suggestions),
    }


# --- Nothing that waits or is hidden gets out ---------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "reader", "outsider"])
def test_pages_show_neither_waiting_nor_hidden(client, world, community, theme, outsider, who):
    if who != "anonymous":
        client.force_login(world["reader"] if who == "reader" else outsider)
    for where, text in _page_doors(client, community, theme).items():
        _only_shown(text, where)
    for pk in (world["waiting"].pk, world["hidden"].pk):
        url = reverse("knowledge:contribution_detail", args=[pk])
        assert client.get(url).status_code == 404


def test_the_contribution_list_and_its_counts(world, community, theme, member):
    for viewer in (AnonymousUser(), world["reader"]):
        titles = [c.title for c in knowledge_selectors.contribution_list_visible_to(viewer)]
        assert titles == [SHOWN]
        shown = knowledge_selectors.contribution_list_visible_to(viewer).get()
        assert shown.comment_count == 1  # not the waiting nor the hidden comment
    assert knowledge_selectors.contribution_counts_by_author(AnonymousUser(), [member.pk]) == {
        member.pk: 1
    }
    themes = {t.pk: t for t in knowledge_selectors.theme_list_with_counts(AnonymousUser())}
    assert themes[theme.pk].contribution_count == 1


def test_the_thread_shows_waiting_and_hidden_comments_to_nobody_else(client, world):
    client.force_login(world["reader"])
    text = page_text(client.get(world["shown"].get_absolute_url()))
    assert "Ik help graag." in text
    assert "Wachtende reactie over walnoten" not in text
    assert "Verborgen reactie over vlier" not in text
    assert "1 reactie" in page_text(client.get(world["shown"].community.get_absolute_url()))


def test_related_contributions_leave_them_out(world):
    other = ContributionFactory(
        community=world["shown"].community, title="Appelboom", tags=["fruitbomen"]
    )
    viewer = world["reader"]
    contribution = knowledge_selectors.contribution_get_visible(viewer, other.pk)
    related = [c.title for c in knowledge_selectors.contribution_list_related(viewer, contribution)]
    assert related == [SHOWN]


def test_voor_jou_leaves_them_out(client, world):
    client.force_login(world["reader"])
    _only_shown(for_you(client), "Voor jou")


@pytest.mark.parametrize("who", ["anonymous", "reader", "host"])
def test_search_results_counts_facets_and_suggestions(world, host, who):
    viewer = {"anonymous": AnonymousUser(), "reader": world["reader"], "host": host}[who]
    for where, text in _search_doors(viewer).items():
        _only_shown(text, where)
    result = search_for(viewer, WORD)
    assert result.total == 1
    assert [(f.label, f.count) for f in result.communities] == [("Energiecoöperatie Noord", 1)]


def test_the_digest_leaves_them_out(world, community):
    other = MembershipFactory(community=community).user  # Mila's own posts are never news to her
    digest = DigestBuilder(current_period()).build([other.pk])[other.pk]
    titles = [item.title for section in digest.communities for item in section.contributions]
    assert titles == [SHOWN]


def test_notifications_leave_them_out(world, host):
    reader_kinds = list(
        Notification.objects.filter(recipient=world["reader"]).values_list("kind", "title")
    )
    assert reader_kinds == [(Notification.Kind.NEW_CONTRIBUTION, SHOWN)]
    # The waiting comment told the host only that it waits, nothing else about its words.
    assert not Notification.objects.filter(
        kind__in=[Notification.Kind.COMMENT, Notification.Kind.MENTION],
        title__in=[WAITING, HIDDEN],
    ).exists()
    assert not Notification.objects.filter(comment=world["hidden_comment"]).exists()


def test_the_dashboard_counts_only_published(world, librarian, community):
    librarian.libraries.add(community.library)
    counts = activity_overview(librarian).total.windows[min(WINDOWS)]
    assert (counts.contributions, counts.comments) == (1, 1)


# --- Restore brings everything back ------------------------------------------------------------


def test_restore_brings_them_back_through_every_door(
    django_capture_on_commit_callbacks, client, world, community, theme, host
):
    _restore(django_capture_on_commit_callbacks, world, host)
    for where, text in _page_doors(client, community, theme).items():
        _all_shown(text, where)
    for where, text in _search_doors(AnonymousUser()).items():
        _all_shown(text, where)
    assert search_for(AnonymousUser(), WORD).total == 3
    other = MembershipFactory(community=community).user
    digest = DigestBuilder(current_period()).build([other.pk])[other.pk]
    _all_shown(" ".join(i.title for s in digest.communities for i in s.contributions), "the digest")
    titles = set(
        Notification.objects.filter(
            recipient=world["reader"], kind=Notification.Kind.NEW_CONTRIBUTION
        ).values_list("title", flat=True)
    )
    assert titles == {SHOWN, WAITING, HIDDEN}
    client.force_login(world["reader"])
    _all_shown(for_you(client), "Voor jou")


def test_a_restored_comment_counts_and_notifies_again(
    django_capture_on_commit_callbacks, world, member, host
):
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.comment_set_status(
            by=host, comment=world["hidden_comment"], status="published"
        )
    shown = knowledge_selectors.contribution_list_visible_to(AnonymousUser()).get(
        pk=world["shown"].pk
    )
    assert shown.comment_count == 2
    assert Notification.objects.filter(
        recipient=member, comment=world["hidden_comment"], kind=Notification.Kind.COMMENT
    ).exists()


def test_hiding_and_restoring_show_on_the_next_anonymous_request(
    page_cache,  # noqa: F811
    django_capture_on_commit_callbacks,
    client,
    world,
    community,
    theme,
    host,
    home,  # noqa: F811
):
    """The real page cache: the cached pages change at once, both ways."""
    urls = ["/", theme.get_absolute_url(), reverse("knowledge:tag_detail", args=["fruitbomen"])]
    for url in urls:
        _get(client, url)
        response = _get(client, url)
        assert response[HEADER] == "hit", url
        _only_shown(page_text(response), url)

    _restore(django_capture_on_commit_callbacks, world, host)
    for url in urls:
        _all_shown(page_text(_get(client, url)), url)

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.contribution_set_status(
            by=host, contribution=world["shown"], status="hidden"
        )
    for url in urls:
        assert SHOWN not in page_text(_get(client, url)), url


# --- Hidden meetups -----------------------------------------------------------------------------


@pytest.fixture
def meetups(community, theme):
    shown = MeetupFactory(community=community, title="Snoeicursus")
    hidden = MeetupFactory(community=community, title="Verborgen plukdag")
    for meetup in (shown, hidden):
        meetup.themes.set([theme])
    hidden.status = Meetup.Status.HIDDEN
    hidden.save(update_fields=["status"])
    return shown, hidden


def test_a_hidden_meetup_is_in_no_list_calendar_search_or_digest(
    client, meetups, community, theme, member, membership
):
    _shown, hidden = meetups
    pages = [
        reverse("meetups:meetup_list"),
        community.get_absolute_url(),
        reverse("meetups:community_feed", args=[community.slug]),
        reverse("meetups:theme_feed", args=[theme.slug]),
    ]
    for url in pages:
        content = client.get(url).content.decode()
        assert "Snoeicursus" in content, url
        assert "Verborgen plukdag" not in content, url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("meetups:meetup_ics", args=[hidden.pk])).status_code == 404
    hits = [str(h.title) for h in search_for(AnonymousUser(), "plukdag").hits]
    assert hits == []
    digest = DigestBuilder(current_period()).build([member.pk])[member.pk]
    assert "Verborgen plukdag" not in str(digest.__dict__)


def test_a_hidden_meetup_takes_no_rsvp_and_leaves_personal_calendars(
    client, meetups, member, membership
):
    _shown, hidden = meetups
    RsvpFactory(meetup=hidden, user=member)
    client.force_login(member)
    response = client.post(reverse("meetups:meetup_rsvp", args=[hidden.pk]))
    assert response.status_code == 404
    calendar = page_text(client.get(reverse("meetups:my_calendar")))
    assert "Verborgen plukdag" not in calendar


def test_those_who_run_a_hidden_meetup_still_see_it_to_restore_it(client, meetups, host):
    _shown, hidden = meetups
    client.force_login(host)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert "Verborgen" in page_text(response)
    hidden.status = Meetup.Status.PUBLISHED
    hidden.save(update_fields=["status"])
    client.logout()
    assert client.get(hidden.get_absolute_url()).status_code == 200


# --- Hidden profiles ------------------------------------------------------------------------------


@pytest.fixture
def hidden_member(db):
    member = UserFactory(
        display_name="Henk Verborgen", handle="henk-v", findable=True, profile_hidden=True
    )
    member.expertise.set(["imkeren"])
    return member


def test_a_hidden_profile_is_not_shown_listed_or_found(client, hidden_member, outsider):
    url = reverse("communities:member_detail", args=[hidden_member.handle])
    for viewer in (None, outsider):
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(url).status_code == 404
        assert "Henk Verborgen" not in page_text(client.get(reverse("communities:who_knows_what")))
    assert search_for(AnonymousUser(), "Henk", kind="member").hits == []
    assert search_suggest(AnonymousUser(), "Verborgen") == []
    choices = page_text(client.get(reverse("communities:who_knows_what")))
    assert "imkeren" not in choices


def test_a_hidden_profile_is_seen_by_its_member_and_librarians(client, hidden_member, librarian):
    url = reverse("communities:member_detail", args=[hidden_member.handle])
    for viewer in (hidden_member, librarian):
        client.force_login(viewer)
        assert client.get(url).status_code == 200


def test_an_unhidden_profile_comes_back(client, hidden_member):
    hidden_member.profile_hidden = False
    hidden_member.save(update_fields=["profile_hidden"])
    assert client.get(reverse("communities:member_detail", args=["henk-v"])).status_code == 200
    assert "Henk Verborgen" in page_text(client.get(reverse("communities:who_knows_what")))
    hits = [str(h.title) for h in search_for(AnonymousUser(), "Henk", kind="member").hits]
    assert len(hits) == 1


def test_only_active_hosts_and_moderators_hear_that_something_waits(
    django_capture_on_commit_callbacks, community, member, membership, host
):
    moderator = MembershipFactory(community=community, role=Membership.Role.MODERATOR).user
    gone = MembershipFactory(community=community, role=Membership.Role.HOST).user
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    plain = MembershipFactory(community=community).user
    community.premoderation = "all"
    community.save(update_fields=["premoderation"])
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.contribution_create(
            author=member, community=community, kind="question", title="Iets", body="Tekst"
        )
    assert Contribution.objects.get().status == "pending"
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        host.pk,
        moderator.pk,
    }
    assert not Notification.objects.filter(recipient__in=[gone, plain]).exists()


def test_their_posts_stay_but_no_longer_link_to_the_hidden_profile(
    client, hidden_member, community
):
    contribution = ContributionFactory(community=community, author=hidden_member)
    CommentFactory(contribution=contribution, author=hidden_member, body="Mijn reactie")
    profile = reverse("communities:member_detail", args=[hidden_member.handle])
    for url in (community.get_absolute_url(), contribution.get_absolute_url()):
        response = client.get(url)
        assert "Henk Verborgen" in page_text(response), url
        assert f'href="{profile}"' not in response.content.decode(), url
    hidden_member.profile_hidden = False
    hidden_member.save(update_fields=["profile_hidden"])
    assert f'href="{profile}"' in client.get(contribution.get_absolute_url()).content.decode()
