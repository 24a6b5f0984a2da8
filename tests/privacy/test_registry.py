"""Every relation to the user model is exported by a part or left out with a reason, so a new
model with a user field cannot be forgotten silently."""

from __future__ import annotations

import pytest
from django.db import models

from privacy import registry


def test_every_relation_to_the_user_is_exported_or_excluded_with_a_reason():
    uncovered = registry.uncovered_relations()
    assert not uncovered, (
        "These fields point at the user model but are in no data export and not excluded: "
        f"{sorted(uncovered)}. Export them in a part (privacy/exporters/) or exclude them there "
        "with a reason."
    )


def test_the_registry_names_no_relation_that_does_not_exist():
    assert registry.unknown_names() == set()


def test_every_exclusion_says_why():
    assert all(len(reason.split()) >= 5 for reason in registry.exclusions().values())


def test_the_list_includes_third_party_models_and_many_to_many_fields():
    found = registry.user_relations()
    assert {
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
        "wagtailcore.Page.owner",
        "admin.LogEntry.user",
        "communities.Library.librarians",
        "meetups.Meetup.organisers",
        "knowledge.Contribution.author",
    } <= found
    # A page type's inherited `owner` is named once, after the model that declares it.
    assert "knowledge.HomePage.owner" not in found


def test_a_part_removed_or_a_new_model_shows_up_as_uncovered(monkeypatch):
    without_rsvps = {k: p for k, p in registry._parts.items() if k != "meetups.rsvps"}
    monkeypatch.setattr(registry, "_parts", without_rsvps)
    assert {"meetups.Rsvp.user", "meetups.SessionSignup.user"} <= registry.uncovered_relations()


@pytest.mark.django_db
def test_a_new_model_with_a_user_field_is_uncovered(monkeypatch):
    class Bookmark(models.Model):  # noqa: DJ008
        owner = models.ForeignKey("communities.User", on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

    try:
        assert "privacy.Bookmark.owner" in registry.uncovered_relations()
    finally:
        from django.apps import apps

        del apps.all_models["privacy"]["bookmark"]
        apps.clear_cache()


def test_a_part_cannot_be_registered_twice_and_an_exclusion_needs_a_reason():
    with pytest.raises(ValueError):
        registry.register("knowledge.contributions")(lambda member, archive: None)
    with pytest.raises(ValueError):
        registry.exclude("privacy.Nothing.user", "  ")
