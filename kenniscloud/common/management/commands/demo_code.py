from django.core.management.base import BaseCommand

from kenniscloud.common.demo import (
    DEMO_TOTP_SECRET,
    LIBRARIAN_EMAIL,
    ORGANISER_EMAIL,
    demo_totp_code,
)


class Command(BaseCommand):
    help = (
        "The code the demo librarian's and organiser's authenticator app shows now: what the "
        "site asks for after the password, before /cms/."
    )

    def handle(self, *args, **options):
        code, seconds = demo_totp_code()
        self.stdout.write(f"Code: {code}  (still valid for {seconds} s; then run this again)")
        self.stdout.write(f"For {LIBRARIAN_EMAIL} and {ORGANISER_EMAIL}.")
        self.stdout.write(
            f"Or add this key to an authenticator app of your own: {DEMO_TOTP_SECRET}"
        )
