"""The three roles as groups: librarians, organisers and community hosts.

Django creates permissions only on post_migrate, after every migration has run, so on a fresh
database they do not exist yet when this migration runs. We create them here first, the same
way Wagtail's own migration 0086 does. Every step is idempotent: running it again, or on a
database where post_migrate already created the permissions, changes nothing.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARIANS = "Bibliothecarissen"
ORGANISERS = "Organisatoren"
HOSTS = "Gemeenschapsbeheerders"

PERMISSION_APPS = [
    "wagtailadmin",
    "wagtailcore",
    "wagtailimages",
    "wagtaildocs",
    "communities",
    "knowledge",
]

LIBRARIAN_MODELS = {
    "communities": ["theme", "community", "membership", "library", "branch", "region"],
    "knowledge": ["contribution", "comment"],
}
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}


def ensure_permissions(apps, schema_editor):
    for label in PERMISSION_APPS:
        app_config = apps.get_app_config(label)
        # Migration app configs have no models module; create_permissions skips those.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(
                app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
            )
        finally:
            app_config.models_module = models_module


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth.Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_roles(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    access_admin = permission(apps, "wagtailadmin", "access_admin")

    librarians, _ = Group.objects.get_or_create(name=LIBRARIANS)
    model_permissions = [
        permission(apps, app_label, f"{action}_{model}")
        for app_label, models in LIBRARIAN_MODELS.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    librarians.permissions.add(access_admin, *model_permissions)

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    if root_page is not None:
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=librarians,
                page=root_page,
                permission=permission(apps, "wagtailcore", codename),
            )

    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    if root_collection is not None:
        for app_label, codenames in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=librarians,
                    collection=root_collection,
                    permission=permission(apps, app_label, codename),
                )

    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    organisers.permissions.add(access_admin)

    # Hosts work in the site itself, never in the admin.
    Group.objects.get_or_create(name=HOSTS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=[LIBRARIANS, ORGANISERS, HOSTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("communities", "0002_theme_image"),
        ("knowledge", "0002_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
