"""Queueing a Celery task must not turn a request that has done its work into a 500.

Every task of the project is a `FailSoftTask` (`kenniscloud/celery.py`). The services queue
their tasks with `delay_on_commit`: the change is committed when the task is handed to the
broker. If the broker (Redis) cannot be reached then, Celery retries briefly
(`CELERY_TASK_PUBLISH_RETRY_POLICY`) and then raises; raising would show the visitor an error
page for a change that was saved, and they would send it again. Instead the task is written to
the database (`UnsentTask`), one error line is logged, and `unsent_tasks_resend` queues it
once the broker is back (beat, every minute). The tasks are idempotent, so a task that reached
the broker and also got kept (a publish that timed out after arriving) at worst runs twice.

Lost only if the database cannot be written either: then the error line names the task and
its arguments.
"""

from __future__ import annotations

import functools
import logging

from celery.contrib.django.task import DjangoTask
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

# What Celery raises when the broker cannot be reached within the publish retry policy.
PUBLISH_ERRORS = (OperationalError, ConnectionError, TimeoutError)


class FailSoftTask(DjangoTask):
    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self.publish_or_keep, args, kwargs))

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(self.publish_or_keep, args, kwargs, options))

    def publish_or_keep(self, args=None, kwargs=None, options=None) -> None:
        """`apply_async`, or, when the broker cannot be reached, an `UnsentTask` row."""
        args, kwargs, options = list(args or ()), dict(kwargs or {}), dict(options or {})
        if self.app.conf.task_always_eager:
            # No broker: the task runs here, and its own errors are the caller's to see.
            self.apply_async(args, kwargs, **options)
            return
        try:
            self.apply_async(args, kwargs, **options)
        except PUBLISH_ERRORS as error:
            self._keep(args, kwargs, options, error)

    def _keep(self, args: list, kwargs: dict, options: dict, error: Exception) -> None:
        from .models import UnsentTask

        try:
            UnsentTask.objects.create(name=self.name, args=args, kwargs=kwargs, options=options)
        except DatabaseError:
            logger.exception(
                "could not queue task %s%s and could not keep it either: LOST", self.name, args
            )
            return
        logger.error(
            "could not queue task %s%s (%s: %s); kept for unsent_tasks_resend",
            self.name,
            tuple(args),
            type(error).__name__,
            error,
        )
