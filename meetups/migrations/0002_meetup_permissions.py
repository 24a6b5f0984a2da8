"""Organisers and librarians manage meetups in the Wagtail admin.

The groups come from communities.0003_roles; permissions for the meetup models are created
here first because Django only creates them on post_migrate (see that migration).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Organisatoren", "Bibliothecarissen"]
MODELS = ["meetup", "session", "rsvp"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("meetups")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    finally:
        app_config.models_module = models_module
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="meetups",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ACTIONS],
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(content_type__app_label="meetups")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("meetups", "0001_initial"),
        ("communities", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
