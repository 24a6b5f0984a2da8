"""The site as its data migrations make it, for browser tests.

Browser tests run against a live server in transactions that are flushed afterwards, and the
flush takes the data migrations' rows with it (the home page, the roles, the workflow, the
content pages). A test that needs them runs the data steps again; each step is idempotent."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps as django_apps
from django.db import connection

DATA_STEPS = [
    ("knowledge.migrations.0002_homepage", "create_homepage"),
    ("communities.migrations.0003_roles", "create_roles"),
    ("knowledge.migrations.0004_editorial_workflow", "create_workflow"),
    ("knowledge.migrations.0005_content_pages", "create_content_pages"),
    ("knowledge.migrations.0009_english_and_language", "create_library_page"),
]


def site_from_migrations() -> None:
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code="nl")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", live=True))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    for module, step in DATA_STEPS:
        with connection.schema_editor() as editor:
            getattr(import_module(module), step)(django_apps, editor)
