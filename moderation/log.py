"""Writing the moderation log: every moderation service calls `record` inside its transaction,
so an action and its log row are stored together or not at all."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from .models import Case, ModerationAction


def record(
    action: str,
    *,
    actor=None,
    obj: Model | None = None,
    case: Case | None = None,
    member=None,
    community=None,
    library=None,
    reason: str = "",
) -> ModerationAction:
    """One log row. `obj` is what was acted on (a contribution, comment, meetup or member);
    its name is copied, because the log outlives it. Never pass a reporter as `member`:
    authors may read what was done to them, not who reported them."""
    return ModerationAction.objects.create(
        action=action,
        actor=actor,
        case=case,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj)[:200] if obj is not None else "",
        member=member,
        community=community,
        library=library,
        reason=reason,
        created_at=timezone.now(),
    )
