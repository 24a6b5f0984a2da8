"""Posting with attachments through the form, the gallery, and the files served only to
those who may see the post."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from attachments.models import Attachment
from attachments.services import NewAttachment, attachments_add
from attachments.validation import prepare_upload
from communities.models import Community
from knowledge.models import Contribution
from tests.communities.factories import MembershipFactory, UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.querycount import assert_constant_queries

from . import corpus

NEW = "/bijdragen/nieuw/"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """`with on_commit():` runs the on_commit callbacks (the file writes) at its end, as the
    commit of a real request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _with_files(contribution, author, on_commit):
    items = [
        NewAttachment(prepare_upload(corpus.jpeg(size=(1000, 800))), "Zonnepanelen op het dak"),
        NewAttachment(prepare_upload(corpus.pdf("Offerte.pdf"))),
    ]
    with on_commit():
        return attachments_add(post=contribution, by=author, items=items)


@pytest.fixture
def public_post(community, membership, on_commit):
    contribution = ContributionFactory(community=community, author=membership.user)
    _with_files(contribution, membership.user, on_commit)
    return contribution


@pytest.fixture
def private_post(private_community, member, on_commit):
    MembershipFactory(community=private_community, user=member)
    contribution = ContributionFactory(community=private_community, author=member)
    _with_files(contribution, member, on_commit)
    return contribution


def _photo(contribution) -> Attachment:
    return contribution.attachments.get(kind="image")


def _pdf(contribution) -> Attachment:
    return contribution.attachments.get(kind="pdf")


# --- Posting through the form -------------------------------------------------------------------


def _form_data(community, **files) -> dict:
    return {
        "gemeenschap": community.slug,
        "kind": "experience",
        "title": "Zo maten wij ons huis door",
        "body": "Met een geleende warmtecamera.",
        "source_url": "",
        "tags": "",
        **files,
    }


def test_member_posts_two_photos_and_a_pdf(client, community, membership, on_commit):
    client.force_login(membership.user)
    data = _form_data(
        community,
        attachment_1_file=corpus.jpeg("voorkant.jpg"),
        attachment_1_alt="De voorkant van het huis",
        attachment_2_file=corpus.jpeg_with_gps("achterkant.jpg"),
        attachment_2_alt="De achterkant, met de schuur",
        attachment_3_file=corpus.pdf("Meetrapport.pdf"),
    )
    with on_commit():
        response = client.post(NEW, data, follow=True)

    assert response.status_code == 200
    contribution = Contribution.objects.get()
    kinds = list(contribution.attachments.values_list("kind", "alt_text", "original_name"))
    assert kinds == [
        ("image", "De voorkant van het huis", "voorkant.jpg"),
        ("image", "De achterkant, met de schuur", "achterkant.jpg"),
        ("pdf", "", "Meetrapport.pdf"),
    ]
    page = response.content.decode()
    assert 'alt="De voorkant van het huis"' in page
    assert "srcset=" in page
    assert "Meetrapport.pdf" in page and "PDF," in page


def test_a_photo_without_description_gets_a_message_next_to_it(client, community, membership):
    client.force_login(membership.user)
    data = _form_data(community, attachment_1_file=corpus.jpeg(), attachment_1_alt="")
    response = client.post(NEW, data)

    assert response.status_code == 200
    assert not Contribution.objects.exists()
    assert response.context["form"].errors["attachment_1_alt"] == [
        "Beschrijf in een paar woorden wat er op de foto te zien is."
    ]
    assert 'id="id_attachment_1_alt_error"' in response.content.decode()


@pytest.mark.parametrize(
    "upload, code",
    [
        (corpus.svg, "attachment_format"),
        (corpus.text_named_jpg, "attachment_format"),
        (lambda: corpus.png_claiming(10_000, 10_000), "attachment_too_many_pixels"),
    ],
)
def test_a_bad_file_is_refused_at_its_field(client, community, membership, upload, code):
    client.force_login(membership.user)
    data = _form_data(community, attachment_1_file=upload(), attachment_1_alt="Iets")
    response = client.post(NEW, data)

    assert not Contribution.objects.exists()
    errors = response.context["form"].errors.as_data()["attachment_1_file"]
    assert [e.code for e in errors] == [code]


def test_the_author_removes_a_file_on_edit(client, public_post, membership, on_commit):
    client.force_login(membership.user)
    url = f"/bijdragen/{public_post.pk}/bewerken/"
    page = client.get(url).content.decode()
    assert "Offerte.pdf" in page and 'name="attachment_remove"' in page
    data = _form_data(public_post.community, attachment_remove=[str(_pdf(public_post).key)])
    data["kind"] = "question"
    with on_commit():
        client.post(url, data)

    assert list(public_post.attachments.values_list("kind", flat=True)) == ["image"]


# --- Serving --------------------------------------------------------------------------------------


def test_public_files_for_everyone_with_a_shared_cache(client, public_post):
    photo = _photo(public_post)
    response = client.get(photo.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "public" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert Image.open(io.BytesIO(_body(response))).size == (1000, 800)
    rendition = client.get(photo.rendition_url(320))
    assert Image.open(io.BytesIO(_body(rendition))).width == 320
    assert client.get(photo.rendition_url(333)).status_code == 404


def test_a_pdf_is_a_download(client, public_post):
    response = client.get(_pdf(public_post).get_absolute_url())

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Offerte.pdf"' in response["Content-Disposition"]
    assert _body(response).startswith(b"%PDF-")


def test_files_are_not_under_media(public_post, settings):
    photo = _photo(public_post)
    assert not photo.get_absolute_url().startswith(settings.MEDIA_URL)
    assert not (settings.MEDIA_ROOT / photo.file.name).exists()
    assert (settings.PRIVATE_MEDIA_ROOT / photo.file.name).exists()


def test_private_files_are_refused_to_non_members(client, private_post, outsider):
    urls = [a.get_absolute_url() for a in private_post.attachments.all()]
    urls.append(_photo(private_post).rendition_url(320))
    for url in urls:
        assert client.get(url).status_code == 404, url  # anonymous
    client.force_login(outsider)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_private_files_for_members_without_a_shared_cache(client, private_post):
    reader = UserFactory()
    MembershipFactory(community=private_post.community, user=reader)
    client.force_login(reader)
    response = client.get(_photo(private_post).get_absolute_url())

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_files_of_a_hidden_post_only_for_author_and_hosts(client, public_post, host, outsider):
    Contribution.objects.filter(pk=public_post.pk).update(status=Contribution.Status.HIDDEN)
    url = _photo(public_post).get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(host)
    response = client.get(url)
    assert response.status_code == 200 and "private" in response["Cache-Control"]


def test_files_of_a_deleted_or_waiting_comment(client, community, membership, outsider, on_commit):
    contribution = ContributionFactory(community=community)
    comment = CommentFactory(
        contribution=contribution, author=membership.user, status=Contribution.Status.PENDING
    )
    with on_commit():
        attachments_add(
            post=comment,
            by=membership.user,
            items=[NewAttachment(prepare_upload(corpus.pdf()))],
        )
    url = comment.attachments.get().get_absolute_url()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(membership.user)
    assert client.get(url).status_code == 200
    comment.status = Contribution.Status.PUBLISHED
    comment.save()
    client.force_login(outsider)
    assert client.get(url).status_code == 200


def test_files_of_a_community_opened_up_may_be_cached(client, private_post):
    Community.objects.filter(pk=private_post.community_id).update(
        visibility=Community.Visibility.OPEN
    )
    response = client.get(_photo(private_post).get_absolute_url())
    assert "public" in response["Cache-Control"]


# --- Query counts ---------------------------------------------------------------------------------


def test_contribution_page_with_files_has_constant_queries(client, public_post, membership):
    def add(n):
        for _ in range(n):
            comment = CommentFactory(contribution=public_post, author=membership.user)
            Attachment.objects.create(
                comment=comment,
                uploaded_by=membership.user,
                kind="pdf",
                content_type="application/pdf",
                original_name="bijlage.pdf",
                size=1000,
                file="attachments/x.pdf",
            )

    url = public_post.get_absolute_url()
    assert_constant_queries(client, url, add, label="contribution detail with attachments")
