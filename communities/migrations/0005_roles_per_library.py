"""Roles per library.

- Librarians no longer add or delete libraries: a library is set up once, by a superuser, who
  also decides who its librarians are (the new permission `assign_librarians`, which no group
  gets). Librarians still view and change their own library.
- Community hosts (Gemeenschapsbeheerders) work on the site only: the group never has
  `wagtailadmin.access_admin`, whatever was granted by hand before.
- On a site with exactly one library, everyone in the group Bibliothecarissen becomes a
  librarian of that library, so that nobody loses what they could do before this migration.
  With several libraries we cannot guess; a superuser assigns them (see the README).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARIANS = "Bibliothecarissen"
HOSTS = "Gemeenschapsbeheerders"
SUPERUSER_ONLY = ["add_library", "delete_library"]


def ensure_permissions(apps, schema_editor):
    for label in ("wagtailadmin", "communities"):
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(
                app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
            )
        finally:
            app_config.models_module = models_module


def permissions(apps, app_label, codenames):
    Permission = apps.get_model("auth.Permission")
    return list(
        Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )


def roles_per_library(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth.Group")
    Library = apps.get_model("communities.Library")

    librarians = Group.objects.filter(name=LIBRARIANS).first()
    if librarians is not None:
        librarians.permissions.remove(*permissions(apps, "communities", SUPERUSER_ONLY))
        libraries = list(Library.objects.all()[:2])
        if len(libraries) == 1:
            libraries[0].librarians.add(*librarians.user_set.all())

    hosts, _created = Group.objects.get_or_create(name=HOSTS)
    hosts.permissions.remove(*permissions(apps, "wagtailadmin", ["access_admin"]))


def undo(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    librarians = Group.objects.filter(name=LIBRARIANS).first()
    if librarians is not None:
        librarians.permissions.add(*permissions(apps, "communities", SUPERUSER_ONLY))


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_theme_image_alt_library_librarians"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(roles_per_library, undo)]
