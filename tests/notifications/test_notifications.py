"""In-site notifications: who hears about what, the bell, /meldingen/ and marking read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import services as community_services
from communities.models import Community, Membership
from knowledge import services as knowledge_services
from meetups.models import Meetup, Rsvp
from meetups.tasks import meetup_changed_notify
from notifications import events
from notifications.models import CommunityFollow, Notification, NotificationPreferences
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory, RsvpFactory
from tests.notifications.factories import CommunityFollowFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def author(community):
    return MembershipFactory(
        community=community, user__display_name="Anna Auteur", user__handle="anna"
    ).user


@pytest.fixture
def replier(community):
    return MembershipFactory(
        community=community, user__display_name="Rik Reageerder", user__handle="rik"
    ).user


@pytest.fixture
def contribution(community, author):
    return ContributionFactory(
        community=community, author=author, title="Zonnepanelen op een plat dak"
    )


def post_comment(capture, *, author, contribution, body, parent=None):
    """Through the service, with the on-commit work run as it would be after COMMIT."""
    with capture(execute=True):
        return knowledge_services.comment_create(
            author=author, contribution=contribution, body=body, parent=parent
        )


def notifications_of(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


# --- replies and mentions --------------------------------------------------------------------


def test_a_comment_on_my_contribution_notifies_me_and_not_the_commenter(
    django_capture_on_commit_callbacks, contribution, author, replier
):
    comment = post_comment(
        django_capture_on_commit_callbacks,
        author=replier,
        contribution=contribution,
        body="Wij deden het **vorig jaar**.",
    )

    [notification] = notifications_of(author)
    assert notification.kind == Kind.COMMENT
    assert (notification.actor, notification.comment) == (replier, comment)
    assert notification.title == "Zonnepanelen op een plat dak"
    assert notification.excerpt == "Wij deden het vorig jaar."
    assert notification.url == f"/bijdragen/{contribution.pk}/#reactie-{comment.pk}"
    assert notification.read_at is None
    assert notifications_of(replier) == []


def test_a_reply_notifies_the_comment_author_and_the_contribution_author_once_each(
    django_capture_on_commit_callbacks, community, contribution, author, replier
):
    third = MembershipFactory(community=community).user
    first = post_comment(
        django_capture_on_commit_callbacks, author=replier, contribution=contribution, body="Eerst"
    )
    post_comment(
        django_capture_on_commit_callbacks,
        author=third,
        contribution=contribution,
        body="Goed punt",
        parent=first,
    )

    assert [n.kind for n in notifications_of(replier)] == [Kind.REPLY]
    assert [n.kind for n in notifications_of(author)] == [Kind.COMMENT, Kind.COMMENT]


def test_my_own_comment_on_my_own_contribution_notifies_nobody(
    django_capture_on_commit_callbacks, contribution, author
):
    post_comment(
        django_capture_on_commit_callbacks,
        author=author,
        contribution=contribution,
        body="Aanvulling",
    )

    assert Notification.objects.count() == 0


def test_a_mention_notifies_existing_active_members_who_may_see_it(
    django_capture_on_commit_callbacks, community, contribution, replier
):
    reader = UserFactory(handle="lezer", display_name="Lea Lezer")  # not a member, open community
    UserFactory(handle="weg", is_active=False)

    post_comment(
        django_capture_on_commit_callbacks,
        author=replier,
        contribution=contribution,
        body="Vraag het @lezer, of @weg, of @niemand-bekend.",
    )

    [mention] = Notification.objects.filter(kind=Kind.MENTION)
    assert mention.recipient == reader
    assert Notification.objects.filter(recipient__handle__in=["weg"]).count() == 0


def test_a_mention_in_a_private_community_notifies_only_those_inside(
    django_capture_on_commit_callbacks, private_community
):
    writer = MembershipFactory(community=private_community).user
    insider = MembershipFactory(community=private_community, user__handle="binnen").user
    outsider = UserFactory(handle="buiten")
    pending = MembershipFactory(
        community=private_community, pending=True, user__handle="wacht"
    ).user
    contribution = ContributionFactory(community=private_community, author=writer)

    post_comment(
        django_capture_on_commit_callbacks,
        author=writer,
        contribution=contribution,
        body="@binnen en @buiten en @wacht",
    )

    assert [n.recipient for n in Notification.objects.filter(kind=Kind.MENTION)] == [insider]
    assert notifications_of(outsider) == notifications_of(pending) == []


def test_a_reply_that_also_mentions_me_is_one_notification(
    django_capture_on_commit_callbacks, contribution, author, replier
):
    post_comment(
        django_capture_on_commit_callbacks,
        author=replier,
        contribution=contribution,
        body="Klopt dat, @anna?",
    )

    assert [n.kind for n in notifications_of(author)] == [Kind.COMMENT]


def test_running_the_event_twice_notifies_nobody_twice(
    django_capture_on_commit_callbacks, contribution, author, replier
):
    comment = post_comment(
        django_capture_on_commit_callbacks, author=replier, contribution=contribution, body="Hoi"
    )

    events.comment_posted_notify(comment_id=comment.pk)
    events.comment_posted_notify(comment_id=comment.pk)

    assert len(notifications_of(author)) == 1


def test_a_rolled_back_comment_notifies_nobody(
    django_capture_on_commit_callbacks, contribution, author, replier
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        knowledge_services.comment_create(
            author=replier, contribution=contribution, body="Toch niet"
        )
        raise RuntimeError("the request failed after the comment")

    assert callbacks == []
    assert Notification.objects.count() == 0


def test_hidden_contributions_notify_nobody(contribution, author, replier):
    contribution.status = "hidden"
    contribution.save()
    comment = contribution.comments.create(author=replier, body="x", body_html="<p>x</p>")

    assert events.comment_posted_notify(comment_id=comment.pk) == 0


def test_a_mention_added_by_an_edit_notifies_once(
    django_capture_on_commit_callbacks, community, contribution, author, replier
):
    UserFactory(handle="later")
    comment = post_comment(
        django_capture_on_commit_callbacks, author=replier, contribution=contribution, body="Hoi"
    )
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            knowledge_services.comment_update(by=replier, comment=comment, body="Hoi @later")

    assert Notification.objects.filter(kind=Kind.MENTION).count() == 1


# --- new contributions in followed communities -----------------------------------------------


def test_followers_at_all_activity_hear_of_new_contributions_except_their_own(
    django_capture_on_commit_callbacks, community, author
):
    fan = MembershipFactory(community=community).user
    CommunityFollowFactory(user=fan, community=community, level="all")
    CommunityFollowFactory(user=author, community=community, level="all")
    digest_only = MembershipFactory(community=community).user
    CommunityFollowFactory(user=digest_only, community=community, level="digest")
    muted = MembershipFactory(community=community).user
    CommunityFollowFactory(user=muted, community=community, level="muted")
    MembershipFactory(community=community)  # no row: the default, digest only

    with django_capture_on_commit_callbacks(execute=True):
        contribution = knowledge_services.contribution_create(
            author=author,
            community=community,
            kind="idea",
            title="Samen inkopen",
            body="Wie doet mee?",
        )

    [notification] = Notification.objects.all()
    assert (notification.recipient, notification.kind) == (fan, Kind.NEW_CONTRIBUTION)
    assert notification.contribution == contribution
    assert (
        notification.sentence == 'Anna Auteur plaatste "Samen inkopen" in Energiecoöperatie Noord'
    )


def test_a_follower_who_left_hears_nothing(community, author):
    gone = MembershipFactory(community=community)
    CommunityFollowFactory(user=gone.user, community=community, level="all")
    gone.delete()
    contribution = ContributionFactory(community=community, author=author)

    assert events.contribution_saved_notify(contribution_id=contribution.pk, created=True) == 0


def test_fan_out_to_many_followers_costs_the_same_queries_as_to_few(community, author):
    def follow(n):
        for _ in range(n):
            user = MembershipFactory(community=community).user
            CommunityFollowFactory(user=user, community=community, level="all")

    def notify():
        contribution = ContributionFactory(community=community, author=author)
        with CaptureQueriesContext(connection) as ctx:
            sent = events.contribution_saved_notify(contribution_id=contribution.pk, created=True)
        return sent, len(ctx.captured_queries)

    follow(3)
    few, few_queries = notify()
    follow(97)
    many, many_queries = notify()

    assert (few, many) == (3, 100)
    assert few_queries == many_queries <= 6


# --- meetups and memberships -----------------------------------------------------------------


def test_meetup_changes_and_cancellation_notify_going_and_waiting(community):
    meetup = MeetupFactory(community=community, title="Repaircafé")
    going = RsvpFactory(meetup=meetup).user
    waiting = RsvpFactory(meetup=meetup, state=Rsvp.State.WAITLIST).user
    cancelled = RsvpFactory(meetup=meetup, state=Rsvp.State.CANCELLED).user

    meetup_changed_notify(meetup.pk, "changed")
    meetup_changed_notify(meetup.pk, "changed")  # a retried task
    Meetup.objects.filter(pk=meetup.pk).update(sequence=1, status=Meetup.Status.CANCELLED)
    meetup_changed_notify(meetup.pk, "cancelled")

    for user in (going, waiting):
        assert [n.kind for n in notifications_of(user)] == [
            Kind.MEETUP_CHANGED,
            Kind.MEETUP_CANCELLED,
        ]
    assert notifications_of(cancelled) == []
    notification = notifications_of(going)[1]
    assert notification.sentence == 'De bijeenkomst "Repaircafé" gaat niet door'
    assert notification.url == f"/bijeenkomsten/{meetup.pk}/"


def test_membership_approved_and_declined_notify_the_member(
    django_capture_on_commit_callbacks, host
):
    on_request = CommunityFactory(title="Woongroep", visibility=Community.Visibility.ON_REQUEST)
    MembershipFactory(community=on_request, user=host, role=Membership.Role.HOST)
    yes = MembershipFactory(community=on_request, pending=True)
    no = MembershipFactory(community=on_request, pending=True)

    with django_capture_on_commit_callbacks(execute=True):
        community_services.membership_approve(by=host, community=on_request, membership_id=yes.pk)
        community_services.membership_decline(by=host, community=on_request, membership_id=no.pk)

    [approved] = notifications_of(yes.user)
    [declined] = notifications_of(no.user)
    assert (approved.kind, approved.actor) == (Kind.MEMBERSHIP_APPROVED, host)
    assert approved.sentence == "Je aanvraag is goedgekeurd: je bent lid van Woongroep"
    assert declined.kind == Kind.MEMBERSHIP_DECLINED
    assert declined.url == f"/gemeenschappen/{on_request.slug}/"


# --- the bell and /meldingen/ ----------------------------------------------------------------


def make_notifications(user, n, *, community, start=None):
    start = start or timezone.now()
    contribution = ContributionFactory(community=community)
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Kind.MENTION if i % 2 else Kind.NEW_CONTRIBUTION,
            actor=contribution.author,
            community=community,
            contribution=ContributionFactory(community=community) if i else contribution,
            title=f"Bijdrage {i}",
            url=f"/bijdragen/{contribution.pk}/",
        )
        for i in range(n)
    )
    # Spread them in time, the newest last.
    for i, notification in enumerate(created):
        Notification.objects.filter(pk=notification.pk).update(
            created_at=start + dt.timedelta(minutes=i)
        )
    return created


def test_the_bell_shows_the_unread_count_in_words(client, member, community):
    make_notifications(member, 3, community=community)
    client.force_login(member)

    html = client.get("/gemeenschappen/").content.decode()

    assert 'class="bell bell--unread"' in html
    assert "3 ongelezen meldingen" in html
    assert 'href="/instellingen/"' in html


def test_the_bell_costs_one_count_and_anonymous_pages_none(client, member, community):
    make_notifications(member, 2, community=community)
    table = Notification._meta.db_table

    with CaptureQueriesContext(connection) as anonymous:
        html = client.get("/gemeenschappen/").content.decode()
    # The bell's class, not the word: "aria-labelledby" on the footer holds "bell" too.
    assert 'class="bell' not in html
    assert not [q for q in anonymous.captured_queries if table in q["sql"]]

    client.force_login(member)
    with CaptureQueriesContext(connection) as logged_in:
        client.get("/gemeenschappen/")
    counts = [q["sql"] for q in logged_in.captured_queries if table in q["sql"]]
    assert len(counts) == 1 and "COUNT" in counts[0].upper()


def test_no_unread_means_no_count(client, member):
    client.force_login(member)

    html = client.get("/meldingen/").content.decode()

    assert "bell--unread" not in html
    assert "ongelezen meldingen" not in html
    assert "Je hebt nog geen meldingen." in html


def test_the_list_is_newest_first_and_marks_unread_in_text(client, member, community):
    old, _new = make_notifications(member, 2, community=community)
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
    client.force_login(member)

    html = client.get("/meldingen/").content.decode()

    assert html.index("Bijdrage 1") < html.index("Bijdrage 0")
    assert html.count("notification--unread") == 1
    assert "ongelezen" in html and "Gelezen" in html


def test_the_list_is_paginated(client, member, community):
    make_notifications(member, 25, community=community)
    client.force_login(member)

    first = client.get("/meldingen/").content.decode()
    second = client.get("/meldingen/?pagina=2").content.decode()

    assert "Bijdrage 24" in first and "Bijdrage 4" not in first
    assert "Bijdrage 4" in second and "Pagina 2 van 2" in second


def test_mark_one_read(client, member, community):
    first, second = make_notifications(member, 2, community=community)
    client.force_login(member)

    response = client.post(f"/meldingen/{first.pk}/gelezen/", {"pagina": "1"})

    assert response.status_code == 302 and response["Location"] == "/meldingen/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_all_read(client, member, community, outsider):
    make_notifications(member, 3, community=community)
    make_notifications(outsider, 1, community=community)
    client.force_login(member)

    response = client.post("/meldingen/alles-gelezen/", follow=True)

    assert "Alle meldingen zijn gelezen." in response.content.decode()
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=outsider, read_at__isnull=True).count() == 1


def test_opening_goes_to_the_target_and_marks_it_read(client, member, community):
    [notification] = make_notifications(member, 1, community=community)
    client.force_login(member)

    response = client.post(f"/meldingen/{notification.pk}/openen/")

    assert response.status_code == 302
    assert response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.is_read


def test_english_readers_land_on_the_english_page(client, member, community):
    [notification] = make_notifications(member, 1, community=community)
    client.force_login(member)

    assert client.get("/en/meldingen/").status_code == 200
    response = client.post(f"/en/meldingen/{notification.pk}/openen/")

    assert response["Location"] == f"/en{notification.url}"


@pytest.mark.parametrize("action", ["gelezen", "openen"])
def test_someone_elses_notification_is_a_404_and_stays_unread(
    client, member, outsider, community, action
):
    [theirs] = make_notifications(outsider, 1, community=community)
    client.force_login(member)

    assert client.post(f"/meldingen/{theirs.pk}/{action}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_state_changes_need_a_post_and_a_login(client, member, community):
    [notification] = make_notifications(member, 1, community=community)

    assert client.get("/meldingen/")["Location"].startswith("/accounts/login/")
    client.force_login(member)
    assert client.get(f"/meldingen/{notification.pk}/openen/").status_code == 405
    assert client.get("/meldingen/alles-gelezen/").status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_costs_the_same_queries_for_3_and_30(client, member, community):
    client.force_login(member)

    assert_constant_queries(
        client,
        "/meldingen/",
        lambda n: make_notifications(member, n, community=community),
        label="/meldingen/",
    )


# --- tampered preferences --------------------------------------------------------------------


def _post(community_id, level="all"):
    return {
        "digest_frequency": "daily",
        f"community_{community_id}": level,
        "reply_mail": "on",
    }


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("unknown", "Deze gemeenschap bestaat niet (meer)."),
        ("foreign", "Je kunt alleen gemeenschappen volgen waar je lid van bent."),
        ("garbage", "Deze gemeenschap bestaat niet (meer)."),
    ],
)
def test_a_tampered_community_changes_nothing_and_says_why(
    client, member, membership, target, message
):
    foreign = CommunityFactory()
    key = {"unknown": "999999", "foreign": str(foreign.pk), "garbage": "1;drop"}[target]
    data = _post(membership.community_id) | {f"community_{key}": "all"}
    client.force_login(member)

    response = client.post("/instellingen/", data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="communities_error"' in html
    assert message in html
    assert not NotificationPreferences.objects.filter(user=member).exists()
    assert not CommunityFollow.objects.filter(user=member).exists()


def test_an_invalid_level_says_why_at_its_field(client, member, membership):
    client.force_login(member)

    response = client.post("/instellingen/", _post(membership.community_id, level="loud"))

    html = response.content.decode()
    assert f'id="id_community_{membership.community_id}_error"' in html
    assert "Kies een van de mogelijkheden." in html
    assert not CommunityFollow.objects.filter(user=member).exists()


def test_a_deleted_comment_takes_its_notifications_along(
    django_capture_on_commit_callbacks, contribution, author, replier
):
    comment = post_comment(
        django_capture_on_commit_callbacks,
        author=replier,
        contribution=contribution,
        body="Iets wat ik liever niet had gezegd",
    )
    assert len(notifications_of(author)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.comment_delete(by=replier, comment=comment)

    assert notifications_of(author) == []


def test_a_hidden_contribution_takes_its_notifications_along(
    django_capture_on_commit_callbacks, community, contribution, author, replier, host
):
    post_comment(
        django_capture_on_commit_callbacks, author=replier, contribution=contribution, body="Hoi"
    )

    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.contribution_set_status(
            by=host, contribution=contribution, status="hidden"
        )

    assert Notification.objects.count() == 0
