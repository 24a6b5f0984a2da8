"""Card comma gap (issue 16): the meta line of a card is a flex row, so a bare comma between
two elements became a flex item of its own, with the row's gap in front of it:
"Koffie en isolatie   , maandag ...". Read as the browser renders it (innerText splits flex
items onto lines of their own)."""

from __future__ import annotations

import pytest

from tests.communities.factories import CommunityFactory
from tests.meetups.factories import MeetupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_next_meetup_on_a_community_card_reads_as_one_sentence(page):
    community = CommunityFactory(title="Repair Café Oost")
    MeetupFactory(community=community, title="Koffie en isolatie")
    page.goto("/gemeenschappen/")

    line = page.locator(".community-card__next").inner_text()

    assert line.startswith("Volgende bijeenkomst: Koffie en isolatie, ")
    assert "\n" not in line and " ," not in line
    # and the comma sits right after the title, not a gap away
    link = page.locator(".community-card__next a").bounding_box()
    comma_gap = page.evaluate(
        """() => {
            const a = document.querySelector('.community-card__next a');
            const range = document.createRange();
            range.setStart(a.nextSibling, 0);
            range.setEnd(a.nextSibling, 1);
            return range.getBoundingClientRect().left;
        }"""
    )
    assert comma_gap - (link["x"] + link["width"]) < 2
