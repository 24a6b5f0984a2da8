from django.core.management.base import BaseCommand

from search.services import search_rebuild
from search.typos import search_terms_refresh


class Command(BaseCommand):
    help = (
        "Index everything searchable again, drop rows of what is gone and rebuild the word "
        "list for typos. Safe to run again."
    )

    def handle(self, *args, **options):
        count = search_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} entries."))
        words = search_terms_refresh()
        self.stdout.write(self.style.SUCCESS(f"Typo word list rebuilt: {words} words."))
