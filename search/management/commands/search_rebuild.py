from django.core.management.base import BaseCommand

from search.services import search_rebuild


class Command(BaseCommand):
    help = "Index everything searchable again and drop rows of what is gone. Safe to run again."

    def handle(self, *args, **options):
        count = search_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
