"""Proposals (issue 16, organisers): the hosts hear of a new proposal by mail, and the proposer
can change it until it is decided."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from communities.models import Membership
from meetups import services
from meetups.models import Meetup
from meetups.tasks import meetup_proposal_host_mail, meetup_proposal_notify_hosts
from tests.communities.factories import MembershipFactory
from tests.html import page_text
from tests.meetups.factories import MeetupFactory

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _next_week(hour: int):
    local = timezone.localtime() + timedelta(days=7)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def _data(**overrides) -> dict:
    data = {
        "title": "Samen warmtepompen bekijken",
        "description": "Ik wil met buren kijken welke warmtepomp past.",
        "starts_at": _next_week(19).strftime(FORMAT),
        "ends_at": _next_week(21).strftime(FORMAT),
        "branch": "",
        "address": "",
        "online_url": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def proposal(community, member, membership, clock):
    clock.set("2026-12-07T12:00")
    return MeetupFactory(
        community=community,
        status=Meetup.Status.PROPOSED,
        proposed_by=member,
        title="Warmtepompen",
        starts_at=_next_week(19),
        ends_at=_next_week(21),
        capacity=None,
    )


def _edit(proposal) -> str:
    return f"/bijeenkomsten/{proposal.pk}/voorstel-wijzigen/"


# --- The hosts hear of it --------------------------------------------------------------------


def test_hosts_get_a_mail_in_their_own_language_when_a_proposal_arrives(
    client, community, host, member, membership, mailoutbox, django_capture_on_commit_callbacks
):
    english = MembershipFactory(
        community=community, role=Membership.Role.HOST, user__language="en"
    ).user
    MembershipFactory(community=community, role=Membership.Role.MODERATOR)  # does not decide
    MembershipFactory(community=community)  # a member: no mail
    client.force_login(member)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/gemeenschappen/{community.slug}/bijeenkomst-voorstellen/", _data())

    proposal = Meetup.objects.get()
    assert sorted(m.to[0] for m in mailoutbox) == sorted([host.email, english.email])
    dutch = next(m for m in mailoutbox if m.to == [host.email])
    assert dutch.subject == f"Nieuw voorstel voor een bijeenkomst in {community.title}"
    assert "Mila Member stelt een bijeenkomst voor" in dutch.body
    assert proposal.get_absolute_url() in dutch.body
    # Rendered in each host's language (the new sentences get their English from the lead's
    # translation round; the greeting is translated already).
    in_english = next(m for m in mailoutbox if m.to == [english.email])
    assert dutch.body.startswith("Hallo Hanna Host,")
    assert in_english.body.startswith("Hello ")


def test_no_mail_about_a_proposal_decided_before_the_mail_went(proposal, host, mailoutbox):
    Meetup.objects.filter(pk=proposal.pk).update(status=Meetup.Status.DRAFT)

    assert meetup_proposal_notify_hosts(proposal.pk) == 0
    meetup_proposal_host_mail(proposal.pk, host.pk)

    assert mailoutbox == []


def test_no_mail_to_a_host_who_stepped_down_meanwhile(proposal, host, mailoutbox):
    Membership.objects.filter(user=host).update(role=Membership.Role.MEMBER)

    meetup_proposal_host_mail(proposal.pk, host.pk)

    assert mailoutbox == []


# --- The proposer edits ----------------------------------------------------------------------


def test_proposer_edits_the_proposal_while_undecided(client, proposal, member):
    client.force_login(member)

    page = page_text(client.get(proposal.get_absolute_url()))
    form = client.get(_edit(proposal))
    response = client.post(_edit(proposal), _data(title="Warmtepompen vergelijken"), follow=True)

    assert "Voorstel wijzigen" in page
    assert form.status_code == 200
    assert "Je voorstel is gewijzigd." in page_text(response)
    proposal.refresh_from_db()
    assert (proposal.title, proposal.status) == ("Warmtepompen vergelijken", "proposed")


def test_edit_with_bad_times_shows_the_error_and_changes_nothing(client, proposal, member):
    client.force_login(member)

    response = client.post(_edit(proposal), _data(ends_at=_next_week(18).strftime(FORMAT)))

    assert response.status_code == 400
    assert "Het einde moet na het begin liggen." in page_text(response)
    proposal.refresh_from_db()
    assert proposal.title == "Warmtepompen"


def test_edit_of_a_decided_proposal_is_refused_with_a_clear_message(client, proposal, member, host):
    services.meetup_approve_proposal(by=host, meetup_id=proposal.pk, publish=False)
    client.force_login(member)

    response = client.post(_edit(proposal), _data(title="Iets anders"), follow=True)

    assert "Over je voorstel is al besloten, dus je kunt het niet meer wijzigen." in page_text(
        response
    )
    proposal.refresh_from_db()
    assert proposal.title == "Warmtepompen"


def test_edit_of_a_declined_proposal_is_refused(proposal, member, host):
    services.meetup_decline_proposal(by=host, meetup_id=proposal.pk, reason="Geen zaal vrij.")

    with pytest.raises(ValidationError, match="al besloten"):
        services.meetup_proposal_update(by=member, meetup_id=proposal.pk, fields={"title": "X"})


@pytest.mark.parametrize("who", ["host", "outsider"])
def test_only_the_proposer_edits_through_this_form(client, request, proposal, who):
    user = request.getfixturevalue(who)
    client.force_login(user)

    response = client.post(_edit(proposal), _data(title="Iets anders"))

    assert response.status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.meetup_proposal_update(by=user, meetup_id=proposal.pk, fields={"title": "X"})
    proposal.refresh_from_db()
    assert proposal.title == "Warmtepompen"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_edit_and_the_decision_take_the_same_lock(community, member, membership, host):
    """While the host's decision holds the proposal's row, the proposer's edit waits, and then
    is refused: the hosts never approve a proposal that changes under them."""
    proposal = MeetupFactory(
        community=community, status=Meetup.Status.PROPOSED, proposed_by=member, capacity=None
    )
    decided = threading.Event()
    outcome: list[BaseException | Meetup] = []

    def edit() -> None:
        decided.wait(timeout=30)
        try:
            outcome.append(
                services.meetup_proposal_update(
                    by=member, meetup_id=proposal.pk, fields={"title": "Te laat"}
                )
            )
        except BaseException as error:
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=edit)
    thread.start()
    with transaction.atomic():
        services.meetup_approve_proposal(by=host, meetup_id=proposal.pk, publish=False)
        decided.set()
        # The edit is now blocked on the row lock held by this transaction.
        thread.join(timeout=1)
        assert thread.is_alive()
    thread.join(timeout=30)

    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.title) != (Meetup.Status.PROPOSED, "Te laat")
    assert proposal.status == Meetup.Status.DRAFT
