"""The editorial workflow: a second librarian approves before anything goes live."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState


def _is_own_submission(task_state: TaskState, user) -> bool:
    """Whether `user` sent this for review."""
    return user.pk is not None and task_state.workflow_state.requested_by_id == user.pk


class SecondLibrarianApprovalTask(AbstractGroupApprovalTask):
    """Like Wagtail's group approval, but never by the librarian who asked for it.

    Four eyes: the librarian who sent it for review sees no approve button, does not find it
    among the reviews waiting for them, and an approval posted by hand is refused. Superusers
    are no exception.
    """

    def _own_state(self, obj, user) -> bool:
        workflow_state = obj.current_workflow_state
        if workflow_state is None or workflow_state.current_task_state is None:
            return False
        return _is_own_submission(workflow_state.current_task_state, user)

    def get_actions(self, obj, user):
        if self._own_state(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and _is_own_submission(task_state, user):
            raise PermissionDenied(_("Een andere bibliothecaris moet dit goedkeuren."))
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _(
            "Een bibliothecaris uit de gekozen groepen keurt goed; wie iets ter beoordeling "
            "instuurde, kan het niet zelf goedkeuren."
        )

    class Meta:
        verbose_name = _("goedkeuring door een tweede bibliothecaris")
        verbose_name_plural = _("goedkeuringen door een tweede bibliothecaris")
