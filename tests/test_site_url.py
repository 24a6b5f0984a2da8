"""`make run PORT=8001` puts port 8001 in every absolute link: our mails and calendars read
`SITE_URL`, the Wagtail admin `WAGTAILADMIN_BASE_URL`, and Wagtail's own page links (its
workflow mails) the default site, which every migrate sets from `SITE_URL`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from wagtail.models import Site

from knowledge.models import HomePage
from knowledge.services import site_sync_with_site_url
from meetups import services
from tests.meetups.factories import MeetupFactory

ROOT = Path(__file__).resolve().parent.parent
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print('urls', settings.SITE_URL, settings.WAGTAILADMIN_BASE_URL)"
)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_gives_every_step_the_address_of_its_port():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KENNISCLOUD_", "DJANGO_"))}
    # -o setup: no reinstall; MANAGE prints the settings each step (migrate, load_demo,
    # runserver) would run with, instead of running it.
    manage = f'{sys.executable} -c "{PRINT_SETTINGS}"'
    done = subprocess.run(
        ["make", "-s", "-o", "setup", "run", "PORT=8001", f"MANAGE={manage}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    urls = [line.split()[1:] for line in done.stdout.splitlines() if line.startswith("urls ")]
    assert urls == [["http://127.0.0.1:8001", "http://127.0.0.1:8001"]] * 3, (
        done.stdout + done.stderr
    )


@pytest.mark.django_db
def test_migrate_gives_the_wagtail_site_the_address_of_site_url(settings):
    # The test database was migrated with the test run's SITE_URL.
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == settings.SITE_URL

    settings.SITE_URL = "http://127.0.0.1:8001"
    site_sync_with_site_url()

    home = HomePage.objects.get()
    assert home.full_url == "http://127.0.0.1:8001/"
    settings.SITE_URL = "https://kenniscloud.example.org"
    site_sync_with_site_url()
    assert HomePage.objects.get().full_url == "https://kenniscloud.example.org/"


@pytest.mark.django_db
def test_a_meetup_mail_and_its_calendar_file_link_to_site_url(
    settings, member, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://127.0.0.1:8001"
    meetup = MeetupFactory(title="Repair café")

    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_respond(user=member, meetup_id=meetup.pk)

    [message] = mailoutbox
    address = f"http://127.0.0.1:8001{meetup.get_absolute_url()}"
    assert address in message.body
    [attachment] = [a for a in message.attachments if a.mimetype == "text/calendar"]
    [event] = Calendar.from_ical(attachment.content).walk("VEVENT")
    assert str(event["URL"]) == address
