"""Reports the member made (their own only: never who else reported the same thing, nor how
many did) and the moderators' decisions about the member's own content and account.

What was reported is named by its kind and address, not by its title or excerpt: those are
the words of whoever wrote it. A reported profile gets no address either, since the address
carries that member's handle.
"""

from __future__ import annotations

from moderation import targets
from moderation.models import ModerationAction
from moderation.selectors import own_reports_explained, report_list_own

from ..registry import ExportArchive, exclude, register
from .common import absolute

CHUNK = 200


@register("moderation.reports_made", covers=["moderation.Report.reporter"])
def reports_made(member, archive: ExportArchive) -> None:
    # The same lines as the member's page "Wat ik heb gemeld", page by page.
    reports = list(report_list_own(member).order_by("created_at", "pk"))
    rows = []
    for start in range(0, len(reports), CHUNK):
        for line in own_reports_explained(reports[start : start + CHUNK]):
            rows.append(
                [
                    line.report.created_at,
                    line.kind_label,
                    absolute(line.url) if line.url and line.kind != targets.MEMBER else "",
                    line.report.reason,
                    line.report.note,
                    line.report.case.decision if line.decided else "",
                    line.decided_at,
                ]
            )
    archive.write_csv(
        "moderation/reports_made.csv",
        ["reported_at", "what", "url", "reason", "your_note", "decision", "decided_at"],
        rows,
    )


@register("moderation.decisions", covers=["moderation.ModerationAction.member"])
def decisions(member, archive: ExportArchive) -> None:
    # Dismissed reports are about what others reported, not a decision about the member.
    rows = (
        ModerationAction.objects.filter(member=member)
        .exclude(action=ModerationAction.Action.DISMISS)
        .order_by("created_at", "pk")
    )
    archive.write_csv(
        "moderation/decisions_about_you.csv",
        ["date", "action", "subject", "reason"],
        ([a.created_at, a.action, a.object_repr, a.reason] for a in rows),
    )


exclude(
    "moderation.Case.author",
    "The moderators' file on a reported object gathers other members' reports; what was decided "
    "about the member's content or account is exported from the log (ModerationAction.member).",
)
exclude(
    "moderation.Case.decided_by",
    "A moderator's decision about another member's content: that member's data, not the "
    "moderator's.",
)
exclude(
    "moderation.ModerationAction.actor",
    "A moderator's acts on other members' content and accounts: their data, kept in the "
    "library's moderation log.",
)
