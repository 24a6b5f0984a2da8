"""A contribution's first photo as a thumbnail in the digest, never from a private community."""

from __future__ import annotations

from attachments.services import NewAttachment, attachments_add
from attachments.validation import prepare_upload
from notifications.digest import DigestBuilder
from notifications.mail import digest_render
from tests.communities.factories import MembershipFactory
from tests.knowledge.factories import ContributionFactory
from tests.notifications.factories import current_period

from . import corpus


def _with_photo(community, alt: str):
    author = MembershipFactory(community=community).user
    contribution = ContributionFactory(community=community, author=author, title=f"Over {alt}")
    items = [NewAttachment(prepare_upload(corpus.jpeg(size=(800, 600))), alt)]
    return attachments_add(post=contribution, by=author, items=items)[0]


def _digest_html(member) -> str:
    digest = DigestBuilder(current_period()).build([member.pk])[member.pk]
    return digest_render(digest).html


def test_the_digest_shows_a_thumbnail(community, member, membership, settings):
    photo = _with_photo(community, "Een volle zaal")
    html = _digest_html(member)

    assert f'src="{settings.SITE_URL}{photo.rendition_url(320)}"' in html
    assert 'alt="Een volle zaal"' in html


def test_no_thumbnail_from_a_private_community(private_community, member):
    MembershipFactory(community=private_community, user=member)
    photo = _with_photo(private_community, "Een besloten avond")
    html = _digest_html(member)

    assert "Over Een besloten avond" in html  # the member hears of it, on the site
    assert str(photo.key) not in html
