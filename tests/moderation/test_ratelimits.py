"""Rate limits, duplicates and links on posting (issue 11): each rule, new and older members, and
what the site answers (429, Retry-After, the form with what the member typed).

The clock fixture moves time; the limits read `timezone.now()`, so no test waits. Concurrency
(30 posts at once) is in test_ratelimits_concurrency.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kenniscloud.common import ratelimit
from kenniscloud.common.ratelimit import RateLimited
from kenniscloud.common.redis_cache import FailSoftRedisCache
from knowledge import services
from knowledge.models import Appreciation, Comment, Contribution
from meetups import services as meetup_services
from meetups.models import Meetup
from tests.communities.factories import MembershipFactory
from tests.html import field_errors, page_text
from tests.knowledge.factories import ContributionFactory
from tests.redis_switch import dead_port

pytestmark = pytest.mark.django_db

NEW = "/bijdragen/nieuw/"
# A Monday morning in Amsterdam: 14 hours to midnight.
MORNING = "2026-12-07T10:00"


@pytest.fixture
def now(clock):
    return clock.set(MORNING)


@pytest.fixture
def newcomer(now, community):
    """Signed up a moment ago."""
    return MembershipFactory(community=community, user__date_joined=now).user


@pytest.fixture
def regular(now, community):
    """A member for a month: the ordinary limits."""
    return MembershipFactory(community=community, user__date_joined=now - timedelta(days=30)).user


def _post(author, community, n: int = 0, **overrides) -> Contribution:
    fields = {
        "author": author,
        "community": community,
        "kind": Contribution.Kind.QUESTION,
        "title": f"Vraag nummer {n}",
        "body": f"Wie weet er meer van nummer {n}?",
    }
    return services.contribution_create(**(fields | overrides))


def _comment(author, contribution, n: int = 0, **overrides) -> Comment:
    fields = {"author": author, "contribution": contribution, "body": f"Reactie {n}"}
    return services.comment_create(**(fields | overrides))


def _limits(settings, action: str, **rule) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: rule}


# --- The pause between two posts --------------------------------------------------------------


def test_a_newcomer_waits_two_minutes_between_contributions(clock, newcomer, community):
    _post(newcomer, community, 1)

    with pytest.raises(RateLimited) as refused:
        _post(newcomer, community, 2)
    assert refused.value.rule == "interval"
    assert refused.value.retry_after == 120
    assert refused.value.message == (
        "Je plaatst snel achter elkaar. Probeer het over 2 minuten opnieuw."
    )

    clock.tick(timedelta(seconds=112))
    with pytest.raises(RateLimited) as still:
        _post(newcomer, community, 2)
    assert still.value.retry_after == 8
    assert still.value.message.endswith("Probeer het over 8 seconden opnieuw.")

    clock.tick(timedelta(seconds=8))
    _post(newcomer, community, 2)
    assert Contribution.objects.filter(author=newcomer).count() == 2


def test_a_regular_member_waits_fifteen_seconds(clock, regular, community):
    _post(regular, community, 1)
    clock.tick(timedelta(seconds=14))

    with pytest.raises(RateLimited) as refused:
        _post(regular, community, 2)
    assert refused.value.retry_after == 1
    assert refused.value.message.endswith("Probeer het over 1 seconde opnieuw.")

    clock.tick(timedelta(seconds=1))
    _post(regular, community, 2)


def test_the_newcomer_limits_end_after_three_days(clock, newcomer, community):
    clock.tick(timedelta(days=3, seconds=1))
    _post(newcomer, community, 1)
    clock.tick(timedelta(seconds=15))

    _post(newcomer, community, 2)


def test_comments_pause_thirty_seconds_for_newcomers_and_five_for_others(
    clock, newcomer, regular, community
):
    contribution = ContributionFactory(community=community)
    _comment(newcomer, contribution, 1)
    _comment(regular, contribution, 1)
    clock.tick(timedelta(seconds=5))

    _comment(regular, contribution, 2)
    with pytest.raises(RateLimited) as refused:
        _comment(newcomer, contribution, 2)
    assert refused.value.retry_after == 25

    clock.tick(timedelta(seconds=25))
    _comment(newcomer, contribution, 2)


def test_each_action_has_its_own_pause(clock, regular, community):
    contribution = _post(regular, community, 1)

    _comment(regular, contribution, 1)
    services.appreciation_toggle(user=regular, contribution=ContributionFactory())


def test_one_members_pause_does_not_hold_up_another(regular, community):
    other = MembershipFactory(
        community=community, user__date_joined=timezone.now() - timedelta(days=30)
    ).user
    _post(regular, community, 1)

    _post(other, community, 1)


def test_staff_are_never_newcomers(now, community):
    staff = MembershipFactory(community=community, user__date_joined=now, user__is_staff=True).user

    assert not ratelimit.is_new_member(staff)


# --- Daily caps and first-day caps ------------------------------------------------------------


def test_twenty_contributions_a_day_then_tomorrow(clock, regular, community):
    for n in range(20):
        _post(regular, community, n)
        clock.tick(timedelta(seconds=15))

    with pytest.raises(RateLimited) as refused:
        _post(regular, community, 20)

    assert refused.value.rule == "per_day"
    assert refused.value.message == (
        "Je hebt vandaag het maximum van 20 bijdragen bereikt. Morgen kan het weer."
    )
    # From 10:05 until midnight in Amsterdam.
    assert refused.value.retry_after == 14 * 3600 - 20 * 15
    assert Contribution.objects.filter(author=regular).count() == 20
    clock.set("2026-12-08T00:00")
    _post(regular, community, 20)


def test_three_contributions_on_the_first_day(clock, newcomer, community):
    for n in range(3):
        _post(newcomer, community, n)
        clock.tick(timedelta(minutes=2))

    with pytest.raises(RateLimited) as refused:
        _post(newcomer, community, 3)

    assert refused.value.rule == "first_day"
    assert refused.value.retry_after == 24 * 3600 - 6 * 60
    assert refused.value.message == (
        "Op je eerste dag kun je hooguit 3 bijdragen plaatsen. Probeer het over 24 uur opnieuw."
    )
    clock.set(newcomer.date_joined + timedelta(days=1))
    _post(newcomer, community, 3)


def test_ten_comments_on_the_first_day(clock, newcomer, community):
    contribution = ContributionFactory(community=community)
    for n in range(10):
        _comment(newcomer, contribution, n)
        clock.tick(timedelta(seconds=30))

    with pytest.raises(RateLimited) as refused:
        _comment(newcomer, contribution, 10)

    assert refused.value.rule == "first_day"
    assert "hooguit 10 reacties" in refused.value.message


def test_fifty_appreciations_a_day_and_withdrawing_is_free(regular):
    targets = ContributionFactory.create_batch(51)
    for target in targets[:50]:
        assert services.appreciation_toggle(user=regular, contribution=target) is True

    assert services.appreciation_toggle(user=regular, contribution=targets[0]) is False
    with pytest.raises(RateLimited) as refused:
        services.appreciation_toggle(user=regular, contribution=targets[50])

    assert refused.value.rule == "per_day"
    assert refused.value.message.startswith(
        "Je hebt vandaag al 50 keer iets gewaardeerd, het maximum voor een dag."
    )
    assert Appreciation.objects.filter(user=regular).count() == 49


def test_a_post_refused_by_the_pause_does_not_count_for_the_day(
    settings, clock, regular, community
):
    _limits(settings, "contribution", interval=15, per_day=2)
    _post(regular, community, 1)
    for _attempt in range(5):
        with pytest.raises(RateLimited):
            _post(regular, community, 2)

    clock.tick(timedelta(seconds=15))
    _post(regular, community, 2)
    clock.tick(timedelta(seconds=15))
    with pytest.raises(RateLimited) as refused:
        _post(regular, community, 3)
    assert refused.value.rule == "per_day"


def test_a_post_refused_for_its_content_costs_nothing(regular, community):
    with pytest.raises(ValidationError):
        _post(regular, community, 1, kind="nonsense")
    with pytest.raises(ValidationError):
        _post(regular, community, 1, title="")

    _post(regular, community, 1)


def test_meetup_proposals_pause_five_minutes_for_newcomers(clock, newcomer, community):
    def propose(n):
        starts = timezone.now() + timedelta(days=7)
        return meetup_services.meetup_propose(
            by=newcomer,
            community=community,
            fields={
                "title": f"Samen warmtepompen bekijken {n}",
                "description": "Ik wil met buren kijken welke warmtepomp past.",
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
            },
        )

    propose(1)
    with pytest.raises(RateLimited) as refused:
        propose(2)

    assert refused.value.retry_after == 300
    assert refused.value.message == (
        "Je stelt snel achter elkaar bijeenkomsten voor. Probeer het over 5 minuten opnieuw."
    )
    assert Meetup.objects.filter(proposed_by=newcomer).count() == 1


def test_a_limit_missing_from_the_settings_does_not_limit(settings, regular, community):
    settings.RATE_LIMITS = {}

    for n in range(5):
        _post(regular, community, n)


def test_exempt_switches_every_posting_limit_off(newcomer, community):
    with ratelimit.exempt():
        for n in range(5):
            _post(newcomer, community, n, body="Zie https://a.nl, https://b.nl en https://c.nl")

    assert Contribution.objects.filter(author=newcomer).count() == 5
    _post(newcomer, community, 6)  # nothing was counted inside
    with pytest.raises(RateLimited):
        _post(newcomer, community, 7)


# --- Duplicates -------------------------------------------------------------------------------


def test_the_same_text_again_within_five_minutes_is_refused(clock, regular, community):
    _post(regular, community, 1, body="Wie  weet iets van\n**warmtepompen**?")
    clock.tick(timedelta(minutes=4, seconds=59))

    with pytest.raises(ValidationError) as refused:
        _post(regular, community, 2, body="wie weet iets van **Warmtepompen**?  ")

    assert refused.value.message_dict["body"][0].startswith("Dit heb je net al geplaatst.")
    assert Contribution.objects.filter(author=regular).count() == 1
    clock.tick(timedelta(seconds=1))
    _post(regular, community, 2, body="wie weet iets van **Warmtepompen**?")


def test_the_same_comment_under_another_contribution_is_a_duplicate(clock, regular, community):
    first, second = ContributionFactory.create_batch(2, community=community)
    _comment(regular, first, body="Kijk eens op onze site!")
    clock.tick(timedelta(minutes=1))

    with pytest.raises(ValidationError) as refused:
        _comment(regular, second, body="kijk eens op onze SITE!")

    assert "body" in refused.value.message_dict
    assert Comment.objects.count() == 1


def test_someone_else_may_say_the_same(regular, newcomer, community):
    _post(regular, community, 1, body="Ik doe mee!")

    _post(newcomer, community, 1, body="Ik doe mee!")


def test_a_hidden_post_still_counts_as_the_first(clock, regular, community):
    first = _post(regular, community, 1, body="Koop nu!")
    Contribution.objects.filter(pk=first.pk).update(status=Contribution.Status.HIDDEN)
    clock.tick(timedelta(minutes=1))

    with pytest.raises(ValidationError):
        _post(regular, community, 2, body="Koop nu!")


# --- Links ------------------------------------------------------------------------------------

THREE_LINKS = "Zie [dit](https://a.nl), <https://b.nl> en www.c.nl"
TWO_LINKS = "Zie [dit](https://a.nl) en https://b.nl"


def test_a_newcomer_may_put_two_links_in_a_post(newcomer, community):
    with pytest.raises(ValidationError) as refused:
        _post(newcomer, community, 1, body=THREE_LINKS)

    assert refused.value.message_dict["body"] == [
        "Nieuwe leden kunnen in hun eerste dagen hooguit 2 links in een tekst zetten; "
        "deze tekst heeft er 3. Haal er een paar weg."
    ]
    assert not Contribution.objects.exists()
    _post(newcomer, community, 1, body=TWO_LINKS)


def test_a_newcomer_cannot_add_links_by_editing(newcomer, community):
    contribution = _post(newcomer, community, 1, body=TWO_LINKS)
    comment = _comment(newcomer, contribution, 1)

    with pytest.raises(ValidationError):
        services.contribution_update(
            by=newcomer,
            contribution=contribution,
            kind=contribution.kind,
            title=contribution.title,
            body=THREE_LINKS,
        )
    with pytest.raises(ValidationError):
        services.comment_update(by=newcomer, comment=comment, body=THREE_LINKS)


def test_a_newcomers_comment_may_hold_two_links(clock, newcomer, community):
    contribution = ContributionFactory(community=community)

    with pytest.raises(ValidationError):
        _comment(newcomer, contribution, body=THREE_LINKS)
    _comment(newcomer, contribution, body=TWO_LINKS)


def test_regular_members_may_link_freely(regular, community):
    _post(regular, community, 1, body=THREE_LINKS + " https://d.nl https://e.nl")


# --- Redis away -------------------------------------------------------------------------------


def test_without_redis_the_limits_hold_in_the_process(monkeypatch, regular, community, caplog):
    """A Redis that refuses: posting works, and the pause still holds (in this process's own
    memory), neither a flood let through nor everyone refused."""
    unreachable = FailSoftRedisCache(
        f"redis://127.0.0.1:{dead_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "RETRY_AFTER": 60}},
    )
    monkeypatch.setattr(ratelimit, "cache", unreachable)

    _post(regular, community, 1)
    with pytest.raises(RateLimited):
        _post(regular, community, 2)

    assert unreachable.answered_without_redis
    assert Contribution.objects.filter(author=regular).count() == 1


# --- The settings -----------------------------------------------------------------------------


def test_production_settings_have_the_limits_on(tmp_path):
    """The limits are on where it counts (and the tests run with the same numbers)."""
    from django.conf import settings

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="kenniscloud.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "production-settings-test-key-0123456789abcdef",
        DJANGO_ALLOWED_HOSTS="kenniscloud.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        REDIS_URL="redis://127.0.0.1:6379/1",
        EMAIL_URL="smtp+tls://kenniscloud:secret@smtp.example.org:587",
        KENNISCLOUD_SITE_URL="https://kenniscloud.example.org",
    )
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.RATE_LIMITS, s.RATE_LIMITS_NEW_MEMBER_DAYS, "
        "s.MODERATION_DUPLICATE_MINUTES, s.MODERATION_NEW_MEMBER_MAX_LINKS, "
        "s.CACHES['default']['BACKEND']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    limits, new_days, duplicate_minutes, max_links, backend = json.loads(result.stdout)

    assert limits["contribution"] == {
        "interval": 15,
        "new_member_interval": 120,
        "per_day": 20,
        "first_day": 3,
    }
    assert limits["comment"]["interval"] == 5
    assert limits["comment"]["new_member_interval"] == 30
    assert limits["comment"]["first_day"] == 10
    assert limits["appreciation"]["per_day"] == 50
    assert limits["meetup_proposal"]["per_day"] > 0
    assert (new_days, duplicate_minutes, max_links) == (3, 5, 2)
    assert backend == "kenniscloud.common.redis_cache.FailSoftRedisCache"
    assert limits == settings.RATE_LIMITS


# --- The site's answer: 429, Retry-After, the form as typed -----------------------------------


def test_posting_too_soon_answers_429_with_the_form_as_typed(client, newcomer, community):
    client.force_login(newcomer)
    data = {
        "gemeenschap": community.slug,
        "kind": "question",
        "title": "Wie repareert fietsen?",
        "body": "Mijn fiets piept.",
    }
    assert client.post(NEW, data).status_code == 302

    response = client.post(NEW, data | {"title": "Nog een vraag", "body": "Een <tweede> vraag"})

    assert response.status_code == 429
    assert response["Retry-After"] == "120"
    assert "Je plaatst snel achter elkaar. Probeer het over 2 minuten opnieuw." in page_text(
        response
    )
    content = response.content.decode()
    assert 'value="Nog een vraag"' in content
    assert "Een &lt;tweede&gt; vraag</textarea>" in content
    assert Contribution.objects.filter(author=newcomer).count() == 1


def test_the_day_cap_answers_429_until_midnight(settings, client, regular, community):
    _limits(settings, "contribution", per_day=1)
    client.force_login(regular)
    data = {"gemeenschap": community.slug, "kind": "idea", "title": "Een idee", "body": "Idee"}
    assert client.post(NEW, data).status_code == 302

    response = client.post(NEW, data | {"body": "Nog een idee"})

    assert response.status_code == 429
    assert response["Retry-After"] == str(14 * 3600)
    assert "Je hebt vandaag het maximum van 1 bijdrage bereikt." in page_text(response)


def test_a_duplicate_is_refused_next_to_the_text(client, regular, community):
    client.force_login(regular)
    data = {"gemeenschap": community.slug, "kind": "idea", "title": "Een idee", "body": "Idee"}
    assert client.post(NEW, data).status_code == 302

    response = client.post(NEW, data | {"title": "Hetzelfde idee"})

    assert response.status_code == 200
    assert "Dit heb je net al geplaatst." in field_errors(response, "body")
    assert Contribution.objects.count() == 1


def test_too_many_links_are_refused_next_to_the_text(client, newcomer, community):
    client.force_login(newcomer)
    data = {"gemeenschap": community.slug, "kind": "idea", "title": "Linkjes", "body": THREE_LINKS}

    response = client.post(NEW, data)

    assert "hooguit 2 links" in field_errors(response, "body")
    assert THREE_LINKS.replace("<", "&lt;").replace(">", "&gt;") in response.content.decode()
    assert not Contribution.objects.exists()


def test_commenting_too_soon_answers_429_with_the_comment_kept(client, regular, community):
    contribution = ContributionFactory(community=community)
    url = f"/bijdragen/{contribution.pk}/reacties/"
    client.force_login(regular)
    assert client.post(url, {"body": "Eerste reactie"}).status_code == 302

    response = client.post(url, {"body": "Tweede reactie, meteen erachteraan"})

    assert response.status_code == 429
    assert response["Retry-After"] == "5"
    assert "Je plaatst snel achter elkaar. Probeer het over 5 seconden opnieuw." in page_text(
        response
    )
    assert "Tweede reactie, meteen erachteraan</textarea>" in response.content.decode()
    assert Comment.objects.count() == 1


def test_a_duplicate_comment_is_refused_next_to_the_text(clock, client, regular, community):
    contribution = ContributionFactory(community=community)
    url = f"/bijdragen/{contribution.pk}/reacties/"
    client.force_login(regular)
    client.post(url, {"body": "Eens!"})
    clock.tick(timedelta(seconds=10))

    response = client.post(url, {"body": "eens!"})

    assert "Dit heb je net al geplaatst." in field_errors(response, "body")
    assert Comment.objects.count() == 1


def test_appreciating_past_the_cap_answers_429_with_a_message(settings, client, regular, community):
    _limits(settings, "appreciation", per_day=1)
    first, second = ContributionFactory.create_batch(2, community=community)
    client.force_login(regular)
    assert client.post(f"/bijdragen/{first.pk}/waarderen/").status_code == 302

    response = client.post(f"/bijdragen/{second.pk}/waarderen/")

    assert response.status_code == 429
    assert response["Retry-After"] == str(14 * 3600)
    assert "Je hebt vandaag al 1 keer iets gewaardeerd" in page_text(response)
    assert Appreciation.objects.count() == 1


def test_proposing_too_soon_answers_429_with_the_form_as_typed(client, newcomer, community):
    starts = timezone.localtime() + timedelta(days=7)
    data = {
        "title": "Samen warmtepompen bekijken",
        "description": "Ik wil met buren kijken welke warmtepomp past.",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "branch": "",
        "address": "",
        "online_url": "",
    }
    url = f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/"
    client.force_login(newcomer)
    assert client.post(url, data).status_code == 302

    response = client.post(url, data | {"title": "Nog een plan"})

    assert response.status_code == 429
    assert response["Retry-After"] == "300"
    assert "Probeer het over 5 minuten opnieuw." in page_text(response)
    assert 'value="Nog een plan"' in response.content.decode()
    assert Meetup.objects.count() == 1


def test_editing_in_too_many_links_is_refused_next_to_the_text(client, newcomer, community):
    contribution = _post(newcomer, community, 1, body=TWO_LINKS)
    comment = _comment(newcomer, contribution, 1)
    client.force_login(newcomer)

    edited = client.post(
        f"/bijdragen/{contribution.pk}/bewerken/",
        {"kind": "question", "title": contribution.title, "body": THREE_LINKS},
    )
    edited_comment = client.post(
        f"/bijdragen/{contribution.pk}/reacties/{comment.pk}/bewerken/", {"body": THREE_LINKS}
    )

    assert "hooguit 2 links" in field_errors(edited, "body")
    assert "hooguit 2 links" in field_errors(edited_comment, "body")
    contribution.refresh_from_db()
    comment.refresh_from_db()
    assert (contribution.body, comment.body) == (TWO_LINKS, "Reactie 1")
