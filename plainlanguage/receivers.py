"""The cached jargon list is cleared whenever a term is saved or deleted, through whichever
door (the Wagtail admin's forms, its bulk delete, the shell). Signals, because a queryset's
delete() calls no model method but does send post_delete for each row."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from . import selectors
from .models import JargonTerm


def forget_jargon(**kwargs) -> None:
    selectors.jargon_list_forget()
    # Again after the commit: a request that filled the cache between the write and its commit
    # read the old list.
    transaction.on_commit(selectors.jargon_list_forget)


def connect() -> None:
    post_save.connect(forget_jargon, sender=JargonTerm, dispatch_uid="plainlanguage_jargon_save")
    post_delete.connect(
        forget_jargon, sender=JargonTerm, dispatch_uid="plainlanguage_jargon_delete"
    )
