"""The demo content `make run` loads: real themes, working logins, a network day, and a
second load that changes nothing."""

import re

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command

from communities.models import Community, Theme, User
from kenniscloud.common.demo import PASSWORD, demo_totp_code
from meetups.models import Meetup
from tests.mfa import totp_wait_for_fresh_code

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("communities", "knowledge", "meetups", "account", "mfa", "taggit")


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def demo(capsys):
    # allauth remembers used codes in the cache; the demo's users get the same ids in each test.
    cache.clear()
    call_command("load_demo")
    capsys.readouterr()


def test_second_load_changes_nothing(demo, capsys):
    before = _row_counts()
    call_command("load_demo")
    assert "nothing changed" in capsys.readouterr().out
    assert _row_counts() == before


def test_demo_covers_the_four_themes_and_every_visibility(demo):
    titles = " ".join(Theme.objects.values_list("title", flat=True)).lower()
    for word in ("verduurzamen", "woonvormen", "eenzaamheid", "onderwijs"):
        assert word in titles
    visibilities = set(Community.objects.values_list("visibility", flat=True))
    assert visibilities == {"open", "on_request", "private"}


def test_demo_residents_who_opted_in_are_on_who_knows_what(demo, client):
    text = " ".join(client.get("/wie-weet-wat/?kennis=zonnepanelen").content.decode().split())

    assert "Ruud Hendriks" in text
    assert "Pieter Smulders" not in client.get("/wie-weet-wat/").content.decode()


@pytest.mark.parametrize(
    "email",
    [
        "bibliothecaris@example.org",
        "organisator@example.org",
        "anna@example.org",
        "henk@example.org",
    ],
)
def test_demo_logins_work(demo, client, email):
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    if email in ("bibliothecaris@example.org", "organisator@example.org"):
        # Their authenticator app is set up: the code `make demo-code` prints.
        assert response["Location"] == "/accounts/2fa/authenticate/"
        totp_wait_for_fresh_code()
        code, _seconds = demo_totp_code()
        response = client.post(response["Location"], {"code": code})
        assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(User.objects.get(email=email).pk)


@pytest.mark.parametrize("email", ["bibliothecaris@example.org", "organisator@example.org"])
def test_demo_staff_reach_the_admin_with_the_printed_code(demo, client, capsys, email):
    client.post("/accounts/login/", {"login": email, "password": PASSWORD, "next": "/cms/"})
    totp_wait_for_fresh_code()
    call_command("demo_code")
    code = re.search(r"Code: (\d{6})", capsys.readouterr().out).group(1)

    response = client.post("/accounts/2fa/authenticate/", {"code": code})

    assert response["Location"] == "/cms/"
    assert client.get("/cms/").status_code == 200


def test_network_day_with_programme_is_on_the_agenda(demo, client):
    network_day = Meetup.objects.get(kind=Meetup.Kind.NETWORK_DAY)
    assert network_day.sessions.count() >= 5
    agenda = client.get("/bijeenkomsten/")
    assert network_day.title in agenda.content.decode()
    page = client.get(network_day.get_absolute_url()).content.decode()
    for session in network_day.sessions.all():
        assert session.title in page


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_demo_pages_render(demo, client, prefix):
    client.post("/accounts/login/", {"login": "henk@example.org", "password": PASSWORD})
    urls = ["/", "/themas/", "/gemeenschappen/", "/bijeenkomsten/", "/leden/henk/"]
    urls += [c.get_absolute_url() for c in Community.objects.all()]
    urls += [t.get_absolute_url() for t in Theme.objects.all()]
    for url in urls:
        assert client.get(prefix + url).status_code == 200, url


def test_demo_footer_and_about_page_name_the_library(demo, client):
    home = client.get("/").content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    assert "Bibliotheek Midden-Brabant" in footer
    assert "Spoorlaan 100" in footer
    assert "013 000 00 00" in footer
    assert "Maandag tot en met vrijdag 10.00 - 20.00 uur" in footer

    about = client.get("/over-de-bibliotheek/")
    assert about.status_code == 200
    assert 'id="page-library-name">Bibliotheek Midden-Brabant</h2>' in about.content.decode()
