"""Factories for contributions and comments; HTML is rendered the way the services do it."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from knowledge.markdown import render_markdown
from knowledge.models import Appreciation, Comment, Contribution
from tests.communities.factories import CommunityFactory, UserFactory


class ContributionFactory(DjangoModelFactory):
    class Meta:
        model = Contribution
        skip_postgeneration_save = True

    community = factory.SubFactory(CommunityFactory)
    author = factory.SubFactory(UserFactory)
    kind = Contribution.Kind.QUESTION
    title = factory.Sequence(lambda n: f"Hoe isoleer ik mijn spouwmuur? ({n})")
    body = "Wie heeft **ervaring** met spouwmuurisolatie?"
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body)[0])
    status = Contribution.Status.PUBLISHED

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(UserFactory)
    parent = None
    body = "Ja, wij hebben het vorig jaar laten doen."
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body)[0])


class AppreciationFactory(DjangoModelFactory):
    class Meta:
        model = Appreciation

    user = factory.SubFactory(UserFactory)
    contribution = factory.SubFactory(ContributionFactory)
    comment = None
