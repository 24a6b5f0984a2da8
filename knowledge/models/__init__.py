"""What people know and share, and how the library curates it.

A package with explicit re-exports: import from `knowledge.models` as before.
"""

from .contributions import (
    Appreciation,
    Comment,
    CommentRevision,
    Contribution,
    ContributionRevision,
)
from .dossiers import DossierContribution, ThemeDossier
from .pages import ArticleIndexPage, ArticlePage, ArticleRelatedLink, ContentPage, HomePage
from .workflows import SecondLibrarianApprovalTask

__all__ = [
    "Appreciation",
    "ArticleIndexPage",
    "ArticlePage",
    "ArticleRelatedLink",
    "Comment",
    "CommentRevision",
    "ContentPage",
    "Contribution",
    "ContributionRevision",
    "DossierContribution",
    "HomePage",
    "SecondLibrarianApprovalTask",
    "ThemeDossier",
]
