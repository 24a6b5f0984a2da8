"""The answers a member marked and the edits they made are in their export; another member's
earlier words, edited by a host, are not."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone

from knowledge.models import CommentRevision, Contribution, ContributionRevision
from privacy import services
from privacy.models import DataExport
from tests.communities.factories import UserFactory
from tests.knowledge.factories import CommentFactory, ContributionFactory

from .conftest import open_zip, zip_text

pytestmark = pytest.mark.django_db


def _rows(archive, name: str) -> list[dict]:
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def _build(member) -> DataExport:
    export = services.data_export_request(member=member)
    services.data_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def test_marked_answers_and_own_edits_are_exported(community):
    asker = UserFactory(handle="vrager")
    helper = UserFactory(handle="helper", display_name="Hanna Helper")
    question = ContributionFactory(
        author=asker, community=community, kind=Contribution.Kind.QUESTION, title="Hoe isoleer ik?"
    )
    answer = CommentFactory(contribution=question, author=helper, body="Met vlas, zo deed ik het.")
    answer.answer_marked_at = timezone.now()
    answer.answer_marked_by = asker
    answer.save()
    ContributionRevision.objects.create(
        contribution=question, title="Hoe isoleren?", body="Eerste versie", edited_by=asker
    )

    archive = open_zip(_build(asker))
    (mark,) = _rows(archive, "answer_marks.csv")
    assert mark["question"] == "Hoe isoleer ik?"
    assert mark["comment_id"] == str(answer.pk)
    (edit,) = _rows(archive, "edits.csv")
    assert (edit["earlier_title"], edit["earlier_text"]) == ("Hoe isoleren?", "Eerste versie")
    # The answer's words are the helper's, not the asker's.
    assert "vlas" not in zip_text(archive)


def test_a_hosts_edit_of_someone_elses_text_names_no_words(community):
    host = UserFactory(handle="gastvrouw")
    writer = UserFactory(handle="schrijver")
    post = ContributionFactory(author=writer, community=community, title="Mijn moestuin")
    comment = CommentFactory(contribution=post, author=writer, body="Nieuwe tekst")
    ContributionRevision.objects.create(
        contribution=post, title="Mijn moestuin", body="Geheime oude tekst", edited_by=host
    )
    CommentRevision.objects.create(comment=comment, body="Oude reactie", edited_by=host)

    archive = open_zip(_build(host))
    rows = _rows(archive, "edits.csv")
    assert [r["edited"] for r in rows] == ["contribution", "comment"]
    assert all(r["earlier_text"] == "" for r in rows)
    text = zip_text(archive)
    assert "Geheime oude tekst" not in text and "Oude reactie" not in text


def test_an_experience_in_parts_is_exported_with_its_parts(community):
    member = UserFactory(handle="ervaren")
    ContributionFactory(
        author=member,
        community=community,
        kind=Contribution.Kind.EXPERIENCE,
        title="Warmtepomp in een jaren-30 huis",
        body="",
        part_approach="Eerst geïsoleerd.",
        part_lessons="Begin met de zolder.",
    )
    archive = open_zip(_build(member))
    (name,) = [n for n in archive.namelist() if n.startswith("contributions/")]
    text = archive.read(name).decode()
    assert "## Aanpak\n\nEerst geïsoleerd." in text
    assert "## Lessen\n\nBegin met de zolder." in text
