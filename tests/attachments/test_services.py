"""Attachments stand or fall with their post: stored on commit, gone on delete."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from attachments.models import Attachment
from attachments.services import NewAttachment, attachments_add, attachments_remove
from attachments.validation import prepare_upload
from knowledge import services as knowledge_services
from tests.knowledge.factories import CommentFactory, ContributionFactory

from . import corpus


def files_in(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def photo(alt: str = "Een warmtecamera op statief") -> NewAttachment:
    return NewAttachment(upload=prepare_upload(corpus.jpeg(size=(1400, 900))), alt_text=alt)


def a_pdf() -> NewAttachment:
    return NewAttachment(upload=prepare_upload(corpus.pdf()))


def post(community, member, items, **overrides):
    data = {
        "kind": "experience",
        "title": "Zo maten wij ons huis door",
        "body": "Met een geleende warmtecamera.",
    }
    return knowledge_services.contribution_create(
        author=member, community=community, attachments=items, **{**data, **overrides}
    )


def test_files_are_written_when_the_post_commits(
    community, membership, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(community, membership.user, [photo(), a_pdf()])
    image, document = contribution.attachments.order_by("position")
    assert (image.kind, document.kind) == ("image", "pdf")
    assert image.alt_text == "Een warmtecamera op statief"
    assert [r["width"] for r in image.renditions] == [320, 640, 1280]
    stored = files_in(private_root)
    assert len(stored) == 5  # the photo, its three copies, the PDF
    # Random names: nothing of the member's file name or the title.
    assert not any("foto" in p.name or "verslag" in p.name for p in stored)
    assert all(str(p).startswith(str(private_root)) for p in stored)


def test_a_failed_post_leaves_no_file(
    community, membership, private_root, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
        transaction.atomic(),
    ):
        post(community, membership.user, [photo()])
        raise ValidationError("a later step refuses the post")
    assert not Attachment.objects.exists()
    assert files_in(private_root) == []


def test_a_post_refused_by_the_duplicate_check_leaves_no_file(
    community, membership, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post(community, membership.user, [])
        with pytest.raises(ValidationError):
            post(community, membership.user, [photo()])
    assert not Attachment.objects.exists()
    assert files_in(private_root) == []


def test_a_photo_needs_a_description(community, membership):
    with pytest.raises(ValidationError):
        post(community, membership.user, [photo(alt="  ")])
    assert not Attachment.objects.exists()


def test_at_most_the_configured_number(community, membership, settings):
    settings.ATTACHMENTS_MAX_PER_POST = 2
    with pytest.raises(ValidationError):
        post(community, membership.user, [a_pdf(), a_pdf(), a_pdf()])


def test_only_the_author_adds_and_removes(community, membership, outsider):
    contribution = ContributionFactory(community=community, author=membership.user)
    with pytest.raises(PermissionDenied):
        attachments_add(post=contribution, by=outsider, items=[a_pdf()])
    attachments_add(post=contribution, by=membership.user, items=[a_pdf()])
    key = str(contribution.attachments.get().key)
    with pytest.raises(PermissionDenied):
        attachments_remove(post=contribution, by=outsider, keys=[key])
    assert contribution.attachments.count() == 1


def test_deleting_the_post_deletes_the_files(
    community, membership, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(community, membership.user, [photo(), a_pdf()])
    assert files_in(private_root)
    with django_capture_on_commit_callbacks(execute=True):
        contribution.delete()  # any door: the Wagtail admin, a community's deletion ...
    assert not Attachment.objects.exists()
    assert files_in(private_root) == []


def test_removing_one_on_edit_deletes_its_files(
    community, membership, private_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contribution = post(community, membership.user, [photo(), a_pdf()])
    document = contribution.attachments.get(kind="pdf")
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.contribution_update(
            by=membership.user,
            contribution=contribution,
            kind=contribution.kind,
            title=contribution.title,
            body=contribution.body,
            attachments_remove=[str(document.key)],
        )
    assert list(contribution.attachments.values_list("kind", flat=True)) == ["image"]
    assert len(files_in(private_root)) == 4


def test_a_deleted_comment_loses_its_files(
    community, membership, private_root, django_capture_on_commit_callbacks
):
    comment = CommentFactory(
        contribution=ContributionFactory(community=community), author=membership.user
    )
    with django_capture_on_commit_callbacks(execute=True):
        attachments_add(post=comment, by=membership.user, items=[photo()])
    assert files_in(private_root)
    with django_capture_on_commit_callbacks(execute=True):
        knowledge_services.comment_delete(by=membership.user, comment=comment)
    assert not comment.attachments.exists()
    assert files_in(private_root) == []
