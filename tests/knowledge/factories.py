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


# --- Curated content: articles and dossiers (published the way the admin does it) -------------


def paragraph(html: str = "<p>Wat we samen leerden over isoleren.</p>") -> dict:
    return {"type": "paragraph", "value": html}


def article_create(
    title: str = "Wat de energiecafés ons leerden",
    *,
    themes=(),
    slug: str | None = None,
    body: list | None = None,
    publish: bool = True,
    user=None,
):
    """An ArticlePage under /artikelen/ (created by the knowledge migrations)."""
    from django.utils.text import slugify

    from knowledge.models import ArticleIndexPage, ArticlePage

    index = ArticleIndexPage.objects.get()
    page = ArticlePage(
        title=title,
        slug=slug or slugify(title),
        summary="Een korte samenvatting.",
        author="Marieke",
        body=body if body is not None else [paragraph()],
        live=False,
    )
    index.add_child(instance=page)
    page.themes.set(list(themes))
    page.save()
    revision = page.save_revision(user=user)
    if publish:
        revision.publish(user=user)
    page.refresh_from_db()
    return page


def dossier_create(theme, *, picks=(), publish: bool = True, reviewed_at=None, reviewed_by=None):
    """A theme dossier with an introduction, one section, one link and the given picks."""
    from knowledge.models import DossierContribution, ThemeDossier

    dossier = ThemeDossier(
        theme=theme,
        introduction=[paragraph("<p>Inleiding van de bibliotheek.</p>")],
        sections=[
            {
                "type": "section",
                "value": {"heading": "Begin bij de kieren", "body": "<p>Tochtstrips.</p>"},
            }
        ],
        further_reading=[
            {
                "type": "link",
                "value": {
                    "title": "Milieu Centraal",
                    "url": "https://www.milieucentraal.nl/",
                    "description": "Onafhankelijke uitleg.",
                },
            }
        ],
        reviewed_at=reviewed_at,
        reviewed_by=reviewed_by,
        live=publish,
    )
    dossier.save()
    for order, (contribution, note) in enumerate(picks):
        DossierContribution.objects.create(
            dossier=dossier, contribution=contribution, note=note, sort_order=order
        )
    revision = dossier.save_revision()
    if publish:
        revision.publish()
    return dossier
