"""Four eyes for everything librarians publish, and the page that lists the articles.

- creates /artikelen/ (the ArticleIndexPage under the home page) when it does not exist;
- creates the workflow "Tweede bibliothecaris" with one task, approved by the group
  Bibliothecarissen but never by the librarian who submitted (SecondLibrarianApprovalTask),
  and attaches it to the home page (so to every page under it) and to theme dossiers;
- detaches Wagtail's default "Moderators approval" workflow, which would confuse librarians;
- lets Bibliothecarissen edit, publish and lock theme dossiers (pages they already have).

Every step is idempotent, like communities/migrations/0003_roles.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIBRARIANS = "Bibliothecarissen"
WORKFLOW_NAME = "Tweede bibliothecaris"
TASK_NAME = "Goedkeuring door een tweede bibliothecaris"
DEFAULT_WORKFLOW_NAME = "Moderators approval"
DOSSIER_ACTIONS = ["add", "change", "delete", "view", "publish", "lock", "unlock"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's path alphabet, steps of 4


def ensure_permissions(apps, schema_editor):
    for label in ["knowledge", "wagtailcore", "wagtailadmin"]:
        app_config = apps.get_app_config(label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        try:
            create_permissions(
                app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps
            )
        finally:
            app_config.models_module = models_module


def content_type(apps, model):
    ContentType = apps.get_model("contenttypes.ContentType")
    return ContentType.objects.get_or_create(app_label="knowledge", model=model)[0]


def next_child_path(apps, parent):
    Page = apps.get_model("wagtailcore.Page")
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    if last is None:
        return parent.path + "0001"
    number = int(last[-4:], 36) + 1
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step


def create_article_index(apps, home):
    Page = apps.get_model("wagtailcore.Page")
    ArticleIndexPage = apps.get_model("knowledge.ArticleIndexPage")
    if ArticleIndexPage.objects.exists():
        return
    ArticleIndexPage.objects.create(
        title="Artikelen",
        draft_title="Artikelen",
        slug="artikelen",
        content_type=content_type(apps, "articleindexpage"),
        path=next_child_path(apps, home),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}artikelen/",
        locale_id=home.locale_id,
        intro="<p>Wat we samen met bewoners hebben uitgezocht, opgeschreven door de "
        "bibliotheek.</p>",
        live=True,
        show_in_menus=True,
    )
    home.numchild = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
    home.save(update_fields=["numchild"])


def grant_dossier_permissions(apps, librarians):
    Permission = apps.get_model("auth.Permission")
    dossier_type = content_type(apps, "themedossier")
    for action in DOSSIER_ACTIONS:
        permission, _ = Permission.objects.get_or_create(
            content_type=dossier_type,
            codename=f"{action}_themedossier",
            defaults={"name": f"Can {action} themadossier"},
        )
        librarians.permissions.add(permission)


def create_workflow(apps, schema_editor):
    ensure_permissions(apps, schema_editor)
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    Task = apps.get_model("knowledge.SecondLibrarianApprovalTask")
    HomePage = apps.get_model("knowledge.HomePage")

    librarians, _ = Group.objects.get_or_create(name=LIBRARIANS)
    grant_dossier_permissions(apps, librarians)

    task = Task.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = Task.objects.create(
            name=TASK_NAME,
            active=True,
            content_type=content_type(apps, "secondlibrarianapprovaltask"),
        )
    task.groups.add(librarians)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})

    # Wagtail's own workflow sits on the root page; ours replaces it for the whole site.
    WorkflowPage.objects.filter(workflow__name=DEFAULT_WORKFLOW_NAME).delete()
    WorkflowContentType.objects.filter(workflow__name=DEFAULT_WORKFLOW_NAME).delete()
    Workflow.objects.filter(name=DEFAULT_WORKFLOW_NAME).update(active=False)

    home = HomePage.objects.order_by("path").first()
    if home is not None:
        create_article_index(apps, Page.objects.get(pk=home.pk))
        WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})
    WorkflowContentType.objects.update_or_create(
        content_type=content_type(apps, "themedossier"), defaults={"workflow": workflow}
    )


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore.Workflow")
    apps.get_model("wagtailcore.WorkflowPage").objects.filter(workflow__name=WORKFLOW_NAME).delete()
    apps.get_model("wagtailcore.WorkflowContentType").objects.filter(
        workflow__name=WORKFLOW_NAME
    ).delete()
    Workflow.objects.filter(name=WORKFLOW_NAME).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0003_pages_dossier_workflow"),
        ("communities", "0003_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
