"""Members who opted in become a kind of search row; searches that found nothing are counted."""

from django.db import migrations, models

KINDS = ["contribution", "community", "meetup", "theme", "dossier", "article", "page", "member"]


class Migration(migrations.Migration):
    dependencies = [("search", "0003_searchterm")]

    operations = [
        migrations.AlterField(
            model_name="searchentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("contribution", "Bijdragen"),
                    ("community", "Gemeenschappen"),
                    ("meetup", "Bijeenkomsten"),
                    ("theme", "Thema's"),
                    ("dossier", "Themadossiers"),
                    ("article", "Artikelen"),
                    ("page", "Informatiepagina's"),
                    ("member", "Mensen"),
                ],
                max_length=12,
            ),
        ),
        migrations.RemoveConstraint(model_name="searchentry", name="search_entry_kind_valid"),
        migrations.AddConstraint(
            model_name="searchentry",
            constraint=models.CheckConstraint(
                condition=models.Q(kind__in=KINDS), name="search_entry_kind_valid"
            ),
        ),
        migrations.CreateModel(
            name="SearchMiss",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "query",
                    models.CharField(max_length=100, unique=True, verbose_name="zoekopdracht"),
                ),
                ("count", models.PositiveIntegerField(default=1, verbose_name="aantal keer")),
                ("first_seen", models.DateTimeField(verbose_name="eerst gezocht")),
                ("last_seen", models.DateTimeField(db_index=True, verbose_name="laatst gezocht")),
            ],
            options={
                "verbose_name": "zoekopdracht zonder resultaat",
                "verbose_name_plural": "zoekopdrachten zonder resultaat",
                "ordering": ["-count", "-last_seen"],
            },
        ),
    ]
