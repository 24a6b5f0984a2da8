"""Organisers and librarians manage reports, session places and calendar tokens in the admin.

Like 0002: permissions for the models of 0003 are created here first, because Django only
creates them on post_migrate.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Organisatoren", "Bibliothecarissen"]
MODELS = ["report", "sessionsignup", "calendartoken"]
ACTIONS = ["add", "change", "delete", "view"]
CODENAMES = [f"{action}_{model}" for model in MODELS for action in ACTIONS]


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
        content_type__app_label="meetups", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    """Only what grant() added: the permissions of 0002 stay."""
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="meetups", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("meetups", "0003_meetup_tools"),
        ("communities", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
