"""Relations to the user that stay out of every export, each with its reason: the admins' own
records of the library's work (Wagtail, Django admin), and the export requests themselves."""

from __future__ import annotations

from ..registry import exclude

_EDITORIAL = (
    "Editorial work in the Wagtail admin (pages, revisions, workflow, comments on drafts, "
    "locks, uploads to the library's media): the library's record of its own content, not the "
    "member's personal data."
)
for relation in (
    "wagtailcore.Page.owner",
    "wagtailcore.Page.locked_by",
    "wagtailcore.Revision.user",
    "wagtailcore.WorkflowState.requested_by",
    "wagtailcore.TaskState.finished_by",
    "wagtailcore.Comment.user",
    "wagtailcore.Comment.resolved_by",
    "wagtailcore.CommentReply.user",
    "wagtailcore.PageSubscription.user",
    "wagtailcore.UploadedFile.uploaded_by_user",
    "wagtailimages.Image.uploaded_by_user",
    "wagtaildocs.Document.uploaded_by_user",
):
    exclude(relation, _EDITORIAL)

_AUDIT = (
    "The admins' audit trail of who changed what: the library's accountability record of "
    "staff work, not the member's data."
)
exclude("wagtailcore.PageLogEntry.user", _AUDIT)
exclude("wagtailcore.ModelLogEntry.user", _AUDIT)
exclude("admin.LogEntry.user", _AUDIT)

exclude(
    "wagtailadmin.EditingSession.user",
    "Who has a page open in the Wagtail editor right now; short-lived, removed by Wagtail.",
)
exclude(
    "wagtailadmin.FormState.user",
    "Unsaved form state of the Wagtail admin, short-lived editor bookkeeping.",
)
exclude(
    "wagtailcore.APIToken.user",
    "A secret for Wagtail's API, not information about the member; a zip must not carry it.",
)
exclude(
    "privacy.DataExport.member",
    "The export requests themselves: the zip is what they produce, and the page lists them.",
)
