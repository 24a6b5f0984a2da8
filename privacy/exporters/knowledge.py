"""Contributions as Markdown files with their metadata, comments and appreciations.

Only what the member wrote or did: a comment's row names the contribution it is on (title and
address), never the words or the name of whoever wrote that contribution or the comment it
answers.
"""

from __future__ import annotations

from knowledge.models import (
    Appreciation,
    Comment,
    CommentRevision,
    Contribution,
    ContributionRevision,
)
from knowledge.parts import parts_as_markdown

from ..registry import ExportArchive, exclude, register
from .common import absolute, file_stem, markdown_file, when

CHUNK = 500


@register("knowledge.contributions", covers=["knowledge.Contribution.author"])
def contributions(member, archive: ExportArchive) -> None:
    rows = (
        Contribution.objects.filter(author=member)
        .select_related("community")
        .prefetch_related("tags", "themes")
        .order_by("created_at", "pk")
    )
    for c in rows.iterator(chunk_size=CHUNK):
        metadata = {
            "title": c.title,
            "kind": c.kind,
            "community": c.community.title,
            "url": absolute(c.get_absolute_url()),
            "status": c.status,
            "created_at": when(c.created_at),
            "updated_at": when(c.updated_at),
            "tags": sorted(tag.name for tag in c.tags.all()),
            "themes": sorted(theme.title for theme in c.themes.all()),
            "source_url": c.source_url,
        }
        stem = file_stem(c.pk, c.created_at, c.title)
        # An experience written in parts: the parts follow the body under their headings.
        text = "\n\n".join(chunk for chunk in (c.body.strip(), parts_as_markdown(c)) if chunk)
        archive.write_text(f"contributions/{stem}.md", markdown_file(metadata, text))


@register("knowledge.comments", covers=["knowledge.Comment.author"])
def comments(member, archive: ExportArchive) -> None:
    rows = (
        Comment.objects.filter(author=member)
        .select_related("contribution")
        .order_by("created_at", "pk")
    )
    archive.write_csv(
        "comments.csv",
        [
            "id",
            "contribution",
            "contribution_url",
            "reply_to_comment_id",
            "status",
            "created_at",
            "updated_at",
            "deleted_at",
            "text",
        ],
        (
            [
                c.pk,
                c.contribution.title,
                absolute(c.contribution.get_absolute_url()),
                c.parent_id,
                c.status,
                c.created_at,
                c.updated_at,
                c.deleted_at,
                c.body,
            ]
            for c in rows.iterator(chunk_size=CHUNK)
        ),
    )


@register("knowledge.appreciations", covers=["knowledge.Appreciation.user"])
def appreciations(member, archive: ExportArchive) -> None:
    rows = (
        Appreciation.objects.filter(user=member)
        .select_related("contribution", "comment__contribution")
        .order_by("created_at", "pk")
    )

    def row(a: Appreciation) -> list:
        if a.comment_id:
            on = a.comment.contribution
            return [
                "comment",
                a.comment_id,
                on.title,
                absolute(on.get_absolute_url()),
                a.created_at,
            ]
        on = a.contribution
        return ["contribution", on.pk, on.title, absolute(on.get_absolute_url()), a.created_at]

    archive.write_csv(
        "appreciations.csv",
        ["appreciated", "id", "contribution", "contribution_url", "created_at"],
        (row(a) for a in rows.iterator(chunk_size=CHUNK)),
    )


@register("knowledge.answer_marks", covers=["knowledge.Comment.answer_marked_by"])
def answer_marks(member, archive: ExportArchive) -> None:
    """The comments the member marked as the answer to a question (theirs, or one they host):
    which question and when, not the words of whoever answered."""
    rows = (
        Comment.objects.filter(answer_marked_by=member)
        .select_related("contribution")
        .order_by("answer_marked_at", "pk")
    )
    archive.write_csv(
        "answer_marks.csv",
        ["comment_id", "question", "question_url", "marked_at"],
        (
            [
                c.pk,
                c.contribution.title,
                absolute(c.contribution.get_absolute_url()),
                c.answer_marked_at,
            ]
            for c in rows.iterator(chunk_size=CHUNK)
        ),
    )


@register(
    "knowledge.revisions",
    covers=["knowledge.ContributionRevision.edited_by", "knowledge.CommentRevision.edited_by"],
)
def revisions(member, archive: ExportArchive) -> None:
    """The edits the member made: when, and on what. The earlier text goes along only where
    it is the member's own words (their own contribution or comment); a host's edit of
    someone else's text names the contribution, not that other member's words."""
    contribution_rows = (
        ContributionRevision.objects.filter(edited_by=member)
        .select_related("contribution")
        .order_by("saved_at", "pk")
    )
    comment_rows = (
        CommentRevision.objects.filter(edited_by=member)
        .select_related("comment__contribution")
        .order_by("saved_at", "pk")
    )

    def contribution_row(r: ContributionRevision) -> list:
        own = r.contribution.author_id == member.pk
        on = r.contribution
        text = "\n\n".join(
            chunk
            for chunk in (r.body.strip(), *(v.strip() for v in r.parts.values() if v))
            if chunk
        )
        return [
            "contribution",
            on.pk,
            on.title,
            absolute(on.get_absolute_url()),
            r.saved_at,
            r.title if own else "",
            text if own else "",
        ]

    def comment_row(r: CommentRevision) -> list:
        own = r.comment.author_id == member.pk
        on = r.comment.contribution
        return [
            "comment",
            r.comment_id,
            on.title,
            absolute(on.get_absolute_url()),
            r.saved_at,
            "",
            r.body if own else "",
        ]

    archive.write_csv(
        "edits.csv",
        [
            "edited",
            "id",
            "contribution",
            "contribution_url",
            "saved_at",
            "earlier_title",
            "earlier_text",
        ],
        [
            *(contribution_row(r) for r in contribution_rows.iterator(chunk_size=CHUNK)),
            *(comment_row(r) for r in comment_rows.iterator(chunk_size=CHUNK)),
        ],
    )


_EDITORIAL = (
    "Editorial work of a librarian on the library's curated pages and dossiers (who locked or "
    "reviewed them), not the member's own data; Wagtail's history keeps it for the library."
)
exclude("knowledge.ThemeDossier.locked_by", _EDITORIAL)
exclude("knowledge.ThemeDossier.reviewed_by", _EDITORIAL)
