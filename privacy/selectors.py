"""Reads of the privacy app: a member's own exports only."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from communities.models import User

from .models import DataExport


def data_export_latest(member: User) -> DataExport | None:
    """The member's newest export, whatever its state; None before their first request."""
    return DataExport.objects.filter(member=member).order_by("-requested_at", "-pk").first()


def data_export_get_own(member: User, pk: int) -> DataExport:
    """The export `pk` if it is `member`'s; 404 otherwise, whether or not it exists."""
    return get_object_or_404(DataExport, pk=pk, member=member)
