"""Fixtures for the meetup tests."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from communities.selectors import LIBRARIAN_GROUP
from tests.communities.factories import UserFactory


@pytest.fixture
def librarian(db, community):
    """A librarian of the library of `community`: they run its meetups."""
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    user = UserFactory(display_name="Lotte Librarian", handle="lotte")
    user.groups.add(group)
    community.library.librarians.add(user)
    return user
