"""Shared models: only what belongs to no domain app."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class UnsentTask(models.Model):
    """A Celery task that could not be handed to the broker (Redis down) after a request had
    already committed its change. `kenniscloud.common.tasks.unsent_tasks_resend` queues it again
    once the broker answers (beat, every minute). Tasks take ids and JSON only (house style), so
    their arguments keep here as they are."""

    name = models.CharField(max_length=200)
    args = models.JSONField(default=list, encoder=DjangoJSONEncoder)
    kwargs = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    options = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.name}{tuple(self.args)}"
