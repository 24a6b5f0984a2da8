"""Errors reach people, and every log line says which request or task it belongs to.

- `RequestIdMiddleware` gives each request an id: the `X-Request-ID` that our own reverse proxy
  sent (only when `KENNISCLOUD_TRUSTED_PROXY_COUNT` says there is one, and only a well-formed
  one), else a new one. The id is kept in a context variable for the log lines and returned
  in the response's `X-Request-ID` header, so a visitor's report can be matched to the logs.
- `ContextFilter` adds `request_id` (and `task_id` inside a Celery task) to every log record;
  `JsonLinesFormatter` writes each record as one JSON object on one line, traceback included.
- `sentry_init` starts Sentry only when a DSN is configured, without personal data and
  without performance traces unless asked for.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

import sentry_sdk
from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
# nginx's $request_id is 32 hex digits; allow the usual UUID and token shapes, nothing that
# could break a log line or a header.
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")

request_id: ContextVar[str] = ContextVar("request_id", default="")


def _incoming_id(request: HttpRequest) -> str:
    if getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0) <= 0:
        return ""  # no proxy of ours in front: the header came from the visitor
    value = request.META.get(_META_KEY, "").strip()
    return value if _WELL_FORMED.match(value) else ""


class RequestIdMiddleware:
    """First in MIDDLEWARE, so that everything after it logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = _incoming_id(request) or uuid.uuid4().hex
        request.request_id = value  # type: ignore[attr-defined]
        token = request_id.set(value)
        # Sentry's events of this request carry the same id (a no-op without Sentry).
        sentry_sdk.set_tag("request_id", value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response[HEADER] = value
        return response


def _current_task_id() -> str:
    from celery import current_task

    if not current_task:  # a proxy: false outside a task
        return ""
    task_request = current_task.request
    if getattr(task_request, "called_directly", True):
        return ""
    return task_request.id or ""


class ContextFilter(logging.Filter):
    """Adds `request_id` and `task_id` to every record ("" outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.task_id = _current_task_id()
        return True


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id/task_id when set,
    and the traceback as one string, so a log collector never splits an event. Times in UTC."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id"):
            if value := getattr(record, key, ""):
                event[key] = value
        if record.exc_info:
            event["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(event, ensure_ascii=False, default=str)


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> bool:
    """Start Sentry when `dsn` is set; returns whether it did. Django and Celery are picked up
    by sentry-sdk's default integrations."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
    )
    return True
