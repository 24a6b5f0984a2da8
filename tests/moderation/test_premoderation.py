"""Pre-moderation: which posts wait, who sees them while they wait, and what approving and
rejecting do (issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities.models import Community, Membership
from knowledge import services as knowledge_services
from knowledge.models import Comment, Contribution
from moderation import premoderation
from moderation.models import ModerationAction
from notifications.models import CommunityFollow, Notification
from search.models import SearchEntry
from tests.communities.factories import MembershipFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PENDING = Contribution.Status.PENDING
PUBLISHED = Contribution.Status.PUBLISHED
HIDDEN = Contribution.Status.HIDDEN
Kind = Notification.Kind


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    """These tests post several times in a row; rate limits and duplicates have their own."""
    settings.RATE_LIMITS = {}
    settings.MODERATION_DUPLICATE_MINUTES = 0


def _set(community, mode):
    community.premoderation = mode
    community.save(update_fields=["premoderation"])


@pytest.fixture
def moderated(community):
    """The community with all posts waiting for approval."""
    _set(community, Community.Premoderation.ALL)
    return community


@pytest.fixture
def moderator(community):
    return MembershipFactory(
        community=community, role=Membership.Role.MODERATOR, user__display_name="Mo Moderator"
    ).user


def post(capture, author, community, title="Een vraag over zonnepanelen", body="Wie weet dit?"):
    with capture(execute=True):
        return knowledge_services.contribution_create(
            author=author, community=community, kind="question", title=title, body=body
        )


def comment(capture, author, contribution, body="Goed idee!"):
    with capture(execute=True):
        return knowledge_services.comment_create(
            author=author, contribution=contribution, body=body
        )


def kinds_of(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- The rule ----------------------------------------------------------------------------------


def test_off_publishes_at_once(django_capture_on_commit_callbacks, community, member, membership):
    assert post(django_capture_on_commit_callbacks, member, community).status == PUBLISHED


def test_all_posts_wait_but_never_those_of_hosts_moderators_and_librarians(
    django_capture_on_commit_callbacks, moderated, member, membership, host, moderator, librarian
):
    capture = django_capture_on_commit_callbacks
    assert post(capture, member, moderated).status == PENDING
    assert post(capture, host, moderated).status == PUBLISHED
    assert post(capture, moderator, moderated).status == PUBLISHED
    librarian.libraries.add(moderated.library)
    MembershipFactory(community=moderated, user=librarian)
    assert post(capture, librarian, moderated).status == PUBLISHED
    published = ContributionFactory(community=moderated)
    assert comment(capture, member, published).status == PENDING
    assert comment(capture, host, published).status == PUBLISHED


def test_new_members_wait_until_two_of_their_posts_are_approved(
    django_capture_on_commit_callbacks, settings, community, member, membership, host
):
    settings.PREMODERATION_FIRST_POSTS = 2
    _set(community, Community.Premoderation.NEW_MEMBERS)
    capture = django_capture_on_commit_callbacks
    first = post(capture, member, community, title="Eerste")
    second = comment(capture, member, ContributionFactory(community=community))
    assert (first.status, second.status) == (PENDING, PENDING)
    # Waiting posts do not count: a third one waits too.
    assert post(capture, member, community, title="Derde").status == PENDING

    premoderation.post_approve(by=host, obj=first)
    assert post(capture, member, community, title="Vierde").status == PENDING
    premoderation.post_approve(by=host, obj=second)
    assert post(capture, member, community, title="Vijfde").status == PUBLISHED
    first.refresh_from_db()  # approved: open for comments
    assert comment(capture, member, first).status == PUBLISHED


def test_posts_from_before_the_switch_count_and_other_communities_do_not(
    django_capture_on_commit_callbacks, settings, community, member, membership
):
    settings.PREMODERATION_FIRST_POSTS = 2
    elsewhere = MembershipFactory(user=member).community
    ContributionFactory.create_batch(2, community=elsewhere, author=member)
    _set(community, Community.Premoderation.NEW_MEMBERS)
    capture = django_capture_on_commit_callbacks
    assert post(capture, member, community).status == PENDING

    veteran = MembershipFactory(community=community).user
    ContributionFactory(community=community, author=veteran)
    CommentFactory(contribution=ContributionFactory(community=community), author=veteran)
    assert post(capture, veteran, community).status == PUBLISHED


def test_a_waiting_post_is_only_published_through_approval(
    django_capture_on_commit_callbacks, moderated, member, membership, host
):
    waiting = post(django_capture_on_commit_callbacks, member, moderated)
    with pytest.raises(ValidationError):
        knowledge_services.contribution_set_status(by=host, contribution=waiting, status=PUBLISHED)
    waiting.refresh_from_db()
    assert waiting.status == PENDING


# --- While it waits ----------------------------------------------------------------------------


def test_the_author_sees_waiting_for_approval_and_nobody_else_sees_the_post(
    client, moderated, member, membership, outsider
):
    client.force_login(member)
    response = client.post(
        f"{reverse('knowledge:contribution_create')}?gemeenschap={moderated.slug}",
        {"kind": "question", "title": "Mijn wachtende vraag", "body": "Hoe zit dat?"},
        follow=True,
    )
    text = page_text(response)
    assert "Je bijdrage wacht op goedkeuring" in text
    assert "Wacht op goedkeuring." in text
    contribution = Contribution.objects.get(title="Mijn wachtende vraag")
    assert contribution.status == PENDING

    community_page = page_text(client.get(moderated.get_absolute_url()))
    assert "Mijn wachtende vraag" in community_page
    assert "Wacht op goedkeuring" in community_page

    for viewer in (None, outsider, MembershipFactory(community=moderated).user):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(contribution.get_absolute_url()).status_code == 404
        assert "Mijn wachtende vraag" not in page_text(client.get(moderated.get_absolute_url()))


def test_a_waiting_comment_shows_in_the_thread_for_its_author_only(
    client, moderated, member, membership, host
):
    contribution = ContributionFactory(community=moderated, author=host)
    client.force_login(member)
    response = client.post(
        reverse("knowledge:comment_create", kwargs={"pk": contribution.pk}),
        {"body": "Een wachtende reactie"},
        follow=True,
    )
    text = page_text(response)
    assert "Je reactie wacht op goedkeuring" in text
    assert "Een wachtende reactie" in text
    comment_ = Comment.objects.get(body="Een wachtende reactie")
    assert comment_.status == PENDING

    other = MembershipFactory(community=moderated).user
    client.force_login(other)
    page = client.get(contribution.get_absolute_url())
    assert "Een wachtende reactie" not in page_text(page)
    # Not answerable nor appreciable before approval, even with a hand-made form.
    reply = client.post(
        reverse("knowledge:comment_create", kwargs={"pk": contribution.pk}),
        {"body": "Antwoord", "parent": comment_.pk},
    )
    assert reply.status_code == 404
    appreciate = client.post(
        reverse(
            "knowledge:comment_action", kwargs={"pk": contribution.pk, "comment_id": comment_.pk}
        ),
        {"action": "appreciate"},
    )
    assert appreciate.status_code == 404


def test_hosts_and_moderators_hear_once_and_nobody_else_hears_anything(
    django_capture_on_commit_callbacks, moderated, member, membership, host, moderator
):
    follower = MembershipFactory(community=moderated).user
    CommunityFollow.objects.create(
        user=follower, community=moderated, level=CommunityFollow.Level.ALL
    )
    mentioned = MembershipFactory(community=moderated, user__handle="piet").user
    capture = django_capture_on_commit_callbacks
    contribution = post(capture, member, moderated, body="Wat vind jij, @piet?")
    own = ContributionFactory(community=moderated, author=follower)
    waiting_comment = comment(capture, member, own, body="Hallo @piet")

    assert kinds_of(host) == [Kind.AWAITING_APPROVAL, Kind.AWAITING_APPROVAL]
    assert kinds_of(moderator) == [Kind.AWAITING_APPROVAL, Kind.AWAITING_APPROVAL]
    assert kinds_of(follower) == []  # no new contribution, no comment on their own
    assert kinds_of(mentioned) == []
    assert kinds_of(member) == []
    notice = Notification.objects.get(recipient=host, comment__isnull=True)
    assert notice.contribution == contribution
    assert notice.url == reverse("premoderation:pending_list", kwargs={"slug": moderated.slug})
    assert notice.mail == Notification.Mail.NONE
    assert Notification.objects.get(recipient=host, comment=waiting_comment).community == moderated

    # An edit of the waiting post tells nobody anything either.
    with capture(execute=True):
        knowledge_services.contribution_update(
            by=member,
            contribution=contribution,
            kind="question",
            title=contribution.title,
            body="Nu met @piet erbij",
        )
    assert kinds_of(mentioned) == []
    assert Notification.objects.filter(recipient=host).count() == 2


# --- Approving and rejecting -------------------------------------------------------------------


def test_approving_publishes_as_new_and_only_now_notifies_and_indexes(
    django_capture_on_commit_callbacks, clock, moderated, member, membership, host
):
    clock.set("2026-12-07T10:00")
    follower = MembershipFactory(community=moderated).user
    CommunityFollow.objects.create(
        user=follower, community=moderated, level=CommunityFollow.Level.ALL
    )
    mentioned = MembershipFactory(community=moderated, user__handle="piet").user
    capture = django_capture_on_commit_callbacks
    contribution = post(capture, member, moderated, body="Wat vind jij, @piet?")
    assert not SearchEntry.objects.filter(kind="contribution", object_id=contribution.pk).exists()

    clock.tick(dt.timedelta(days=2))
    with capture(execute=True):
        premoderation.post_approve(by=host, obj=contribution)

    contribution.refresh_from_db()
    assert contribution.status == PUBLISHED
    assert contribution.created_at == clock.now()  # new from the moment it went online
    assert SearchEntry.objects.filter(kind="contribution", object_id=contribution.pk).exists()
    assert kinds_of(follower) == [Kind.NEW_CONTRIBUTION]
    assert kinds_of(mentioned) == [Kind.MENTION]
    assert kinds_of(member) == [Kind.APPROVED]
    assert kinds_of(host) == []  # the work is done: the waiting notice goes
    log = ModerationAction.objects.get()
    assert (log.action, log.actor, log.member, log.community, log.library_id) == (
        "approve",
        host,
        member,
        moderated,
        moderated.library_id,
    )


def test_an_approved_comment_notifies_the_authors_it_answers(
    django_capture_on_commit_callbacks, moderated, member, membership, host
):
    """Also the host who got the waiting notice: a comment notifies each member once, so the
    waiting notice must be gone before the comment notice is written."""
    capture = django_capture_on_commit_callbacks
    hosts_question = ContributionFactory(community=moderated, author=host)
    waiting = comment(capture, member, hosts_question)
    assert kinds_of(host) == [Kind.AWAITING_APPROVAL]
    with capture(execute=True):
        premoderation.post_approve(by=host, obj=waiting)
    assert kinds_of(host) == [Kind.COMMENT]
    approved = Notification.objects.get(recipient=member)
    assert approved.kind == Kind.APPROVED
    assert approved.url.endswith(f"#reactie-{waiting.pk}")


def test_rejecting_hides_it_and_tells_the_author_why(
    django_capture_on_commit_callbacks, client, moderated, member, membership, host
):
    capture = django_capture_on_commit_callbacks
    contribution = post(capture, member, moderated, title="Koop nu goedkope pillen")
    with capture(execute=True):
        premoderation.post_reject(by=host, obj=contribution, reason="Dit is reclame.")
    contribution.refresh_from_db()
    assert contribution.status == HIDDEN
    notice = Notification.objects.get(recipient=member)
    assert (notice.kind, notice.excerpt) == (Kind.REJECTED, "Dit is reclame.")
    assert notice.url == moderated.get_absolute_url()
    assert Notification.objects.filter(recipient=host).count() == 0
    assert ModerationAction.objects.get().reason == "Dit is reclame."

    client.force_login(member)
    page = page_text(client.get(reverse("notifications:notification_list")))
    assert '"Koop nu goedkope pillen" is niet goedgekeurd' in page
    assert "Dit is reclame." in page
    client.force_login(MembershipFactory(community=moderated).user)
    assert client.get(contribution.get_absolute_url()).status_code == 404


def test_rejecting_needs_a_reason(
    django_capture_on_commit_callbacks, moderated, member, membership, host
):
    contribution = post(django_capture_on_commit_callbacks, member, moderated)
    with pytest.raises(ValidationError) as error:
        premoderation.post_reject(by=host, obj=contribution, reason="   ")
    assert "reason" in error.value.message_dict
    contribution.refresh_from_db()
    assert contribution.status == PENDING
    assert not ModerationAction.objects.exists()


def test_only_those_who_manage_the_community_decide_and_only_once(
    django_capture_on_commit_callbacks, moderated, member, membership, host
):
    contribution = post(django_capture_on_commit_callbacks, member, moderated)
    other_host = MembershipFactory(role=Membership.Role.HOST).user  # host elsewhere
    for who in (member, other_host):
        with pytest.raises(PermissionDenied):
            premoderation.post_approve(by=who, obj=contribution)
    premoderation.post_approve(by=host, obj=contribution)
    with pytest.raises(ValidationError, match="al besloten"):
        premoderation.post_reject(by=host, obj=contribution, reason="Toch niet")
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["approve"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_hosts_deciding_at_once_one_wins(community, member, host):
    """approve and reject in two transactions at the same moment: the row lock lets one
    decide; the other is told it was decided, and the log holds one decision."""
    import threading

    from django.db import connection

    MembershipFactory(community=community, user=member)
    second_host = MembershipFactory(community=community, role=Membership.Role.HOST).user
    _set(community, Community.Premoderation.ALL)
    contribution = knowledge_services.contribution_create(
        author=member, community=community, kind="question", title="Tegelijk", body="Wie wint?"
    )
    assert contribution.status == PENDING
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(action):
        try:
            barrier.wait()
            if action == "approve":
                premoderation.post_approve(by=host, obj=contribution)
            else:
                premoderation.post_reject(by=second_host, obj=contribution, reason="Nee")
            outcomes.append(action)
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("approve", "reject")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) in (["approve", "refused"], ["refused", "reject"])
    assert ModerationAction.objects.count() == 1
    contribution.refresh_from_db()
    winner = ModerationAction.objects.get().action
    assert contribution.status == (PUBLISHED if winner == "approve" else HIDDEN)


# --- The approval page -------------------------------------------------------------------------


def test_the_approval_page_lists_what_waits_with_post_forms(
    django_capture_on_commit_callbacks, client, moderated, member, membership, moderator
):
    capture = django_capture_on_commit_callbacks
    contribution = post(capture, member, moderated, title="Wachtende bijdrage")
    comment(capture, member, ContributionFactory(community=moderated), body="Wachtende reactie")
    url = reverse("premoderation:pending_list", kwargs={"slug": moderated.slug})

    client.force_login(member)
    assert client.get(url).status_code == 403
    client.force_login(moderator)
    response = client.get(url)
    content = response.content.decode()
    text = page_text(response)
    assert "Wachtende bijdrage" in text and "Wachtende reactie" in text
    decide = reverse(
        "premoderation:post_decide",
        kwargs={"slug": moderated.slug, "kind": "bijdrage", "pk": contribution.pk},
    )
    assert f'action="{decide}"' in content
    assert 'method="post"' in content
    assert f'<label class="field__label" for="reden-bijdrage-{contribution.pk}-reason">' in content
    # Moderators approve; only hosts change the setting.
    assert 'name="premoderation"' not in content
    assert "Goedkeuren" in page_text(client.get(moderated.get_absolute_url()))


def test_approving_and_rejecting_from_the_page(
    django_capture_on_commit_callbacks, client, moderated, member, membership, host
):
    capture = django_capture_on_commit_callbacks
    one = post(capture, member, moderated, title="Een")
    two = post(capture, member, moderated, title="Twee")
    client.force_login(host)

    def decide(obj, **data):
        url = reverse(
            "premoderation:post_decide",
            kwargs={"slug": moderated.slug, "kind": "bijdrage", "pk": obj.pk},
        )
        with capture(execute=True):
            return client.post(url, data)

    response = decide(one, action="approve")
    assert response.status_code == 302
    one.refresh_from_db()
    assert one.status == PUBLISHED

    # No reason: the page again, the error next to the field, nothing stored.
    response = decide(two, action="reject", reason="")
    assert response.status_code == 400
    content = response.content.decode()
    assert f'id="reden-bijdrage-{two.pk}-reason_error"' in content
    assert "Schrijf op waarom" in content
    two.refresh_from_db()
    assert two.status == PENDING

    response = decide(two, action="reject", reason="Hoort hier niet.")
    assert response.status_code == 302
    two.refresh_from_db()
    assert two.status == HIDDEN

    # Decided already: said so, nothing changes.
    response = decide(one, action="reject", reason="Toch niet")
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Hierover is al besloten." in messages


def test_hosts_choose_the_setting_on_the_site(client, community, host, moderator):
    url = reverse("premoderation:pending_list", kwargs={"slug": community.slug})
    client.force_login(host)
    assert 'name="premoderation"' in client.get(url).content.decode()
    response = client.post(url, {"premoderation": "new_members"})
    assert response.status_code == 302
    community.refresh_from_db()
    assert community.premoderation == "new_members"

    response = client.post(url, {"premoderation": "soms"})
    assert response.status_code == 400
    assert "field--invalid" in response.content.decode()

    client.force_login(moderator)
    assert client.post(url, {"premoderation": "all"}).status_code == 403
    community.refresh_from_db()
    assert community.premoderation == "new_members"


def test_librarians_choose_it_in_the_wagtail_admin(admin_client, community):
    url = reverse("wagtailsnippets_communities_community:edit", args=[community.pk])
    content = admin_client.get(url).content.decode()
    assert 'name="premoderation"' in content
    assert "Alle bijdragen wachten op goedkeuring" in content


def test_the_approval_page_costs_the_same_queries_for_3_and_30_posts(
    client, moderated, member, membership, host
):
    client.force_login(host)
    target = ContributionFactory(community=moderated)

    def add(n):
        for _ in range(n):
            ContributionFactory(community=moderated, status=PENDING)
            CommentFactory(contribution=target, status=PENDING)

    assert_constant_queries(
        client,
        reverse("premoderation:pending_list", kwargs={"slug": moderated.slug}),
        add,
        label="premoderation approval page",
    )


def test_the_wagtail_admin_cannot_publish_a_waiting_post_around_approval(
    django_capture_on_commit_callbacks, moderated, member, membership, admin_user
):
    contribution = post(django_capture_on_commit_callbacks, member, moderated)
    form_class = Contribution.snippet_viewset.get_edit_handler().get_form_class()
    data = {
        "community": moderated.pk,
        "author": member.pk,
        "kind": "question",
        "title": contribution.title,
        "body": contribution.body,
        "source_url": "",
        "tags": "",
        "status": "published",
    }
    form = form_class(data, instance=contribution, for_user=admin_user)
    assert not form.is_valid()
    assert "goedkeuringslijst" in form.errors["status"][0]
    form = form_class({**data, "status": "hidden"}, instance=contribution, for_user=admin_user)
    assert form.is_valid(), form.errors


def test_a_suspended_host_approves_and_rejects_nothing(
    django_capture_on_commit_callbacks, moderated, member, membership, host
):
    from django.utils import timezone

    waiting = post(django_capture_on_commit_callbacks, member, moderated)
    host.suspended_at = timezone.now()
    host.suspension_reason = "Misbruik van beheerrechten"
    host.save(update_fields=["suspended_at", "suspension_reason"])
    with pytest.raises(PermissionDenied):
        premoderation.post_approve(by=host, obj=waiting)
    with pytest.raises(PermissionDenied):
        premoderation.post_reject(by=host, obj=waiting, reason="Nee")
    waiting.refresh_from_db()
    assert waiting.status == PENDING
