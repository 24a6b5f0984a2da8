from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from kenniscloud.common.demo import PASSWORD, demo_load
from search.services import search_rebuild
from search.typos import search_terms_refresh


class Command(BaseCommand):
    help = "Load the demo library, communities, members and contributions. Safe to run again."

    def handle(self, *args, **options):
        # The demo members are made up: whatever the services mail them goes nowhere, even
        # when EMAIL_URL points at a real SMTP server.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            report = demo_load()
        # The demo back-dates its contributions with QuerySet.update(), which sends no signal:
        # index again so search shows their real dates; then the words for "Bedoelde je …?".
        search_rebuild()
        search_terms_refresh()
        if report.total:
            created = ", ".join(f"{n} {what}" for what, n in sorted(report.created.items()))
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {created}."))
        else:
            self.stdout.write("Demo already loaded; nothing changed.")
        if options["verbosity"] > 1:
            self.stdout.write(f"Every demo member logs in with the password {PASSWORD!r}.")
