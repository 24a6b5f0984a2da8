from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0005_roles_per_library"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="findable",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Laat anderen je vinden op Wie weet wat en in zoeken, met je naam, regio en "
                    "kennis. Zo kunnen ze je een vraag stellen in een gemeenschap. Je "
                    "contactgegevens blijven zichtbaar voor wie je hierboven kiest."
                ),
                verbose_name="laat anderen je vinden",
            ),
        ),
    ]
