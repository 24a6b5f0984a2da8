"""moderation.targets: the one place that reads and changes a reported object."""

from __future__ import annotations

import pytest
from django.http import Http404

from communities.models import Membership
from knowledge import selectors as knowledge_selectors
from knowledge.models import Contribution
from meetups.models import Meetup
from moderation import targets
from search.models import SearchEntry
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory

pytestmark = pytest.mark.django_db


def _indexed(obj) -> bool:
    kind = {Contribution: "contribution", Meetup: "meetup"}.get(type(obj), "member")
    return SearchEntry.objects.filter(kind=kind, object_id=obj.pk).exists()


def test_lookup_by_dutch_slug(community, member):
    contribution = ContributionFactory(community=community, author=member)
    comment = CommentFactory(contribution=contribution, author=member)
    meetup = MeetupFactory(community=community)
    assert targets.target_get("bijdrage", contribution.pk) == contribution
    assert targets.target_get("reactie", str(comment.pk)) == comment
    assert targets.target_get("bijeenkomst", meetup.pk) == meetup
    assert targets.target_get("lid", member.pk) == member
    assert [targets.target_kind(o) for o in (contribution, comment, meetup, member)] == [
        "bijdrage",
        "reactie",
        "bijeenkomst",
        "lid",
    ]
    for kind, pk in (("bijdrage", 999_999), ("thema", contribution.pk), ("reactie", "x")):
        with pytest.raises(Http404):
            targets.target_get(kind, pk)


def test_info_of_a_comment_points_at_its_contribution(community, member):
    contribution = ContributionFactory(community=community, author=member, title="Zonnepanelen")
    comment = CommentFactory(contribution=contribution, author=member, body="Mooi *verhaal*")
    info = targets.target_info(comment)
    assert info.context_title == "Zonnepanelen"
    assert info.url == f"{contribution.get_absolute_url()}#reactie-{comment.pk}"
    assert info.context_url == contribution.get_absolute_url()
    assert info.excerpt == "Mooi verhaal"
    assert info.community == community
    assert info.library_id == community.library_id
    assert info.author == member


def test_meetup_without_community_belongs_to_its_branch_library():
    from tests.meetups.factories import BranchFactory

    branch = BranchFactory()
    meetup = MeetupFactory(community=None, branch=branch)
    assert targets.target_community(meetup) is None
    assert targets.target_library_id(meetup) == branch.library_id


def test_member_profile_goes_to_library_of_oldest_membership(member):
    first = CommunityFactory()
    MembershipFactory(user=member, community=first)
    MembershipFactory(user=member, community=CommunityFactory())
    assert targets.target_library_id(member) == first.library_id
    assert targets.target_author(member) == member
    assert not targets.target_can_delete(member)
    assert targets.target_library_id(UserFactory()) is None


def test_hide_and_restore_contribution_every_door(community, member, outsider):
    contribution = ContributionFactory(community=community, author=member)
    assert _indexed(contribution)
    before = targets.target_hide(contribution)
    assert before == Contribution.Status.PUBLISHED
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.HIDDEN
    assert not _indexed(contribution)
    assert contribution not in knowledge_selectors.contribution_list_visible_to(outsider)
    # Hiding twice keeps the first status_before meaningful: it is hidden now.
    assert targets.target_hide(contribution) == Contribution.Status.HIDDEN
    targets.target_restore(contribution, before)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PUBLISHED
    assert _indexed(contribution)
    assert contribution in knowledge_selectors.contribution_list_visible_to(outsider)


def test_restore_puts_a_pending_contribution_back_to_pending(community, member):
    contribution = ContributionFactory(
        community=community, author=member, status=Contribution.Status.PENDING
    )
    before = targets.target_hide(contribution)
    targets.target_restore(contribution, before)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PENDING
    # Restoring with an unknown or hidden "before" publishes.
    targets.target_hide(contribution)
    targets.target_restore(contribution, Contribution.Status.HIDDEN)
    contribution.refresh_from_db()
    assert contribution.status == Contribution.Status.PUBLISHED


def test_hidden_comment_leaves_the_thread_and_search(community, member, outsider):
    contribution = ContributionFactory(community=community, author=member, body="Isolatie")
    comment = CommentFactory(contribution=contribution, author=member, body="zeldzaamwoordxyz")

    def entry():
        return SearchEntry.objects.get(kind="contribution", object_id=contribution.pk)

    assert "zeldzaamwoordxyz" in entry().body
    targets.target_hide(comment)
    threads = knowledge_selectors.comment_threads_for(contribution, outsider, can_manage=False)
    assert comment.pk not in [c.pk for c in threads]
    assert "zeldzaamwoordxyz" not in entry().body
    targets.target_restore(comment, "published")
    threads = knowledge_selectors.comment_threads_for(contribution, outsider, can_manage=False)
    assert comment.pk in [c.pk for c in threads]


def test_delete_comment_is_soft_and_keeps_the_thread(community, member):
    contribution = ContributionFactory(community=community, author=member)
    comment = CommentFactory(contribution=contribution, author=member, body="weg ermee")
    targets.target_hide(comment)
    targets.target_delete(comment)
    comment.refresh_from_db()
    assert comment.is_deleted and comment.body == "" and comment.body_html == ""
    assert comment.status == Contribution.Status.PUBLISHED
    assert not targets.target_can_delete(comment)


def test_delete_contribution_and_meetup_remove_the_rows(community, member):
    contribution = ContributionFactory(community=community, author=member)
    meetup = MeetupFactory(community=community)
    targets.target_delete(contribution)
    targets.target_delete(meetup)
    assert not Contribution.objects.filter(pk=contribution.pk).exists()
    assert not Meetup.objects.filter(pk=meetup.pk).exists()
    assert not _indexed(contribution)
    with pytest.raises(ValueError):
        targets.target_delete(member)


def test_hide_meetup_leaves_the_agenda(community):
    from meetups.selectors import meetup_get_visible

    meetup = MeetupFactory(community=community)
    before = targets.target_hide(meetup)
    assert before == Meetup.Status.PUBLISHED
    with pytest.raises(Http404):
        meetup_get_visible(UserFactory(), meetup.pk)
    assert not _indexed(meetup)
    targets.target_restore(meetup, before)
    assert meetup_get_visible(UserFactory(), meetup.pk) == meetup


def test_hide_member_profile(member):
    assert targets.target_hide(member) == "visible"
    member.refresh_from_db()
    assert member.profile_hidden and targets.target_is_hidden(member)
    targets.target_restore(member, "visible")
    member.refresh_from_db()
    assert not member.profile_hidden


def test_load_many_one_query_per_kind(community, member, django_assert_num_queries):
    from django.contrib.contenttypes.models import ContentType

    contributions = ContributionFactory.create_batch(3, community=community, author=member)
    comments = [CommentFactory(contribution=c, author=member) for c in contributions]
    pairs = [(ContentType.objects.get_for_model(o).pk, o.pk) for o in contributions + comments]
    pairs.append((pairs[0][0], 999_999))  # gone
    with django_assert_num_queries(2):
        found = targets.target_load_many(pairs)
        infos = [targets.target_info(o) for o in found.values()]
    assert len(found) == 6
    assert {i.community for i in infos} == {community}


def test_not_reportable():
    with pytest.raises(TypeError):
        targets.target_kind(CommunityFactory())
    assert not targets.is_reportable(Membership())
