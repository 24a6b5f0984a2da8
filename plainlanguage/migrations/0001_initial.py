"""The jargon list (issue 17, B1), a first few words on it, and the Bibliothecarissen may keep it.

Like search 0005: the permissions of the new model are created here first, because Django only
creates them on post_migrate.
"""

import django.db.models.functions.text
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUPS = ["Bibliothecarissen"]
CODENAMES = ["add_jargonterm", "change_jargonterm", "delete_jargonterm", "view_jargonterm"]

# A start for the librarians, from the usual lists of government jargon (such as
# Direct Duidelijk's "Klare taal"-woordenlijst); they add, change and delete from here on.
FIRST_TERMS = [
    ("participatie", "meedoen"),
    ("faciliteren", "mogelijk maken, helpen"),
    ("implementeren", "invoeren"),
    ("middels", "met, door"),
    ("inzake", "over"),
    ("teneinde", "om"),
    ("conform", "volgens"),
    ("derhalve", "daarom"),
    ("thans", "nu"),
    ("woonachtig", "wonen"),
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("plainlanguage")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = True
    try:
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    finally:
        app_config.models_module = models_module
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="plainlanguage", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    permissions = Permission.objects.filter(
        content_type__app_label="plainlanguage", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


def first_terms(apps, schema_editor):
    JargonTerm = apps.get_model("plainlanguage", "JargonTerm")
    JargonTerm.objects.bulk_create(JargonTerm(term=term, plain=plain) for term, plain in FIRST_TERMS)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("communities", "0003_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name='JargonTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(help_text="Het woord of de uitdrukking die lezers moeilijk vinden, zoals 'participatie' of 'in behandeling nemen'. Hoofdletters maken niet uit; meervoud vinden we ook.", max_length=100, verbose_name='woord')),
                ('plain', models.CharField(blank=True, help_text="Wat schrijvers beter kunnen gebruiken, zoals 'meedoen'.", max_length=200, verbose_name='in gewone woorden')),
                ('note', models.TextField(blank=True, help_text='Niet verplicht. Staat achter de tip, bijvoorbeeld wanneer het woord wel mag.', verbose_name='toelichting')),
            ],
            options={
                'verbose_name': 'vakterm',
                'verbose_name_plural': 'vaktermen',
                'ordering': ['term'],
                'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('term'), name='plainlanguage_jargonterm_term_unique', violation_error_message='Dit woord staat al in de lijst.')],
            },
        ),
        migrations.RunPython(grant, revoke),
        migrations.RunPython(first_terms, migrations.RunPython.noop),
    ]
