"""A member's photo next to their name on comments and member lists; their initial without
one, and for a hidden profile. Decorative: the name stands beside it."""

from __future__ import annotations

from django.core.files.base import ContentFile

from communities.models import Membership
from tests.communities.factories import MembershipFactory, UserFactory
from tests.communities.images import png
from tests.knowledge.factories import CommentFactory, ContributionFactory


def _with_photo(user):
    user.avatar.save("gezicht.png", ContentFile(png().read()), save=True)
    return user


def test_comments_show_the_photo_or_the_initial(client, community, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contribution = ContributionFactory(community=community)
    with_photo = _with_photo(UserFactory(display_name="Pieter"))
    hidden = _with_photo(UserFactory(display_name="Geheim", profile_hidden=True))
    CommentFactory(contribution=contribution, author=with_photo)
    CommentFactory(contribution=contribution, author=UserFactory(display_name="zara"))
    CommentFactory(contribution=contribution, author=hidden)

    page = client.get(contribution.get_absolute_url()).content.decode()

    assert f'src="{with_photo.avatar.url}"' in page
    assert 'alt=""' in page
    assert "avatar--initial" in page
    assert ">Z</span>" in page
    assert hidden.avatar.url not in page  # a hidden profile shows its initial only
    assert ">G</span>" in page


def test_the_member_list_shows_photos(client, community, host, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    member = _with_photo(UserFactory(display_name="Noor"))
    MembershipFactory(community=community, user=member, role=Membership.Role.MEMBER)
    client.force_login(host)

    page = client.get(f"/gemeenschappen/{community.slug}/leden/").content.decode()

    assert f'src="{member.avatar.url}"' in page
