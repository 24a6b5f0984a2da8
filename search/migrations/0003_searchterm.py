"""The word list for "Bedoelde je …?" with, on PostgreSQL, a trigram index on the words (the
`pg_trgm` extension comes from 0002): `word % term` then finds similar words in milliseconds."""

from django.db import migrations, models

TRIGRAM = "CREATE INDEX search_term_word_trgm ON search_searchterm USING gin (word gin_trgm_ops);"
UNDO_TRIGRAM = "DROP INDEX IF EXISTS search_term_word_trgm;"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgresql"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=60, unique=True)),
                (
                    "frequency",
                    models.PositiveIntegerField(
                        default=0, help_text="Public rows holding the word."
                    ),
                ),
            ],
            options={
                "verbose_name": "zoekwoord",
                "verbose_name_plural": "zoekwoorden",
                "indexes": [models.Index(fields=["-frequency"], name="search_term_frequency")],
            },
        ),
        migrations.RunPython(_on_postgresql(TRIGRAM), _on_postgresql(UNDO_TRIGRAM)),
    ]
