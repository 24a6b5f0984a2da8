"""Cases and reports made directly, for the queue and decision tests: they test what happens
after reporting, whatever the report form does."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from moderation import targets
from moderation.models import Case, Report
from tests.communities.factories import UserFactory


def case_for(obj, *, reasons=("spam",), notes=(), auto_hide=False) -> Case:
    """A case on `obj` with one report per reason (each by a new member), opened now; hidden by
    the rules when `auto_hide`, as after three trusted reports."""
    now = timezone.now()
    case = Case.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        community=targets.target_community(obj),
        library_id=targets.target_library_id(obj),
        author=targets.target_author(obj),
        opened_at=now,
        report_count=len(reasons),
    )
    notes = list(notes) + [""] * (len(reasons) - len(notes))
    for reason, note in zip(reasons, notes, strict=True):
        Report.objects.create(
            case=case,
            reporter=UserFactory(),
            reason=reason,
            note=note,
            trusted=True,
            created_at=now,
        )
    if auto_hide:
        case.status_before = targets.target_hide(obj)
        case.auto_hidden = True
        case.save(update_fields=["status_before", "auto_hidden"])
    return case
