"""Punctuation sits against the word it follows (issue 16, "card comma gap"): the contribution
page's sentence about the library's dossiers ends "... in het dossier Energie." and not
"Energie ." (the full stop used to stand on a line of its own in the template)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.html import page_text
from tests.knowledge.factories import ContributionFactory, dossier_create

pytestmark = pytest.mark.django_db


def test_the_dossier_sentence_ends_with_a_full_stop_against_the_name(
    client, community, membership, theme, librarian
):
    picked = ContributionFactory(
        community=community, author=membership.user, title="Spouwmuur in een dag", themes=[theme]
    )
    dossier_create(
        theme,
        picks=[(picked, "Heldere cijfers van een bewoner.")],
        reviewed_at=timezone.now() - timedelta(days=3),
        reviewed_by=librarian,
    )

    text = page_text(client.get(picked.get_absolute_url()))

    assert f"opgenomen in het dossier {theme.title}." in text
    assert f"{theme.title} ." not in text
