"""Librarians see Zoeken > Niet gevonden in the admin and may dismiss an entry (view, delete).

Like meetups 0004: the permissions of the new model are created here first, because Django only
creates them on post_migrate. Adding and changing are refused to everyone by the admin's
permission policy (search/wagtail_hooks.py), so they are not granted either.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Bibliothecarissen"]
CODENAMES = ["view_searchmiss", "delete_searchmiss"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("search")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    finally:
        app_config.models_module = models_module
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="search", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="search", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_member_kind_searchmiss"),
        ("communities", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
