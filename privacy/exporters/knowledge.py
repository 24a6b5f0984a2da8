"""Contributions as Markdown files with their metadata, comments and appreciations.

Only what the member wrote or did: a comment's row names the contribution it is on (title and
address), never the words or the name of whoever wrote that contribution or the comment it
answers.
"""

from __future__ import annotations

from knowledge.models import Appreciation, Comment, Contribution

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
        archive.write_text(f"contributions/{stem}.md", markdown_file(metadata, c.body))


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


_EDITORIAL = (
    "Editorial work of a librarian on the library's curated pages and dossiers (who locked or "
    "reviewed them), not the member's own data; Wagtail's history keeps it for the library."
)
exclude("knowledge.ThemeDossier.locked_by", _EDITORIAL)
exclude("knowledge.ThemeDossier.reviewed_by", _EDITORIAL)
