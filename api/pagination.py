"""Cursor pagination for the API: stable under inserts, at most MAX_LIMIT items a page.

A page ends with an opaque `next_cursor`: URL-safe base64 of the last item's ordering value
(a moment) and id. The next page continues strictly after that pair (keyset pagination), so an
item published while someone pages through neither shifts later items onto the next page
twice nor pushes one off unseen, as an offset would, and a deep page costs what the first one
does. A cursor that cannot be read is a 400 with a message that says what to send instead.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 20
MAX_LIMIT = 50


def cursor_encode(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int]:
    """The (moment, id) in `cursor`; ValueError for anything this API did not hand out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        moment_text, pk = json.loads(raw)
        moment = datetime.fromisoformat(moment_text)
    except (binascii.Error, UnicodeDecodeError, TypeError, ValueError) as error:
        raise ValueError(cursor) from error
    if moment.tzinfo is None or type(pk) is not int or not 1 <= pk < 2**63:
        raise ValueError(cursor)
    try:
        # In UTC now: a moment near year 1 or 9999 that has none would fail in the database.
        return moment.astimezone(UTC), pk
    except OverflowError as error:
        raise ValueError(cursor) from error


class KeysetPagination(PaginationBase):
    """Orders by (`moment_field`, id), newest first unless `ascending`, and pages by cursor."""

    class Input(Schema):
        cursor: str | None = Field(
            None,
            description="De `next_cursor` van de vorige pagina; leeg voor de eerste pagina.",
            max_length=200,
        )
        limit: int = Field(
            DEFAULT_LIMIT,
            ge=1,
            le=MAX_LIMIT,
            description=f"Aantal items per pagina, hoogstens {MAX_LIMIT}.",
        )

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None = Field(
            description="Geef deze mee als `cursor` voor de volgende pagina; null op de laatste."
        )

    items_attribute = "items"

    def __init__(
        self,
        *,
        moment_field: str,
        ascending: bool | Callable[[HttpRequest], bool] = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.moment_field = moment_field
        # A callable decides per request: the meetups' agenda runs soonest first, its archive
        # latest first.
        self.ascending = ascending

    def paginate_queryset(
        self, queryset: QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        ascending = self.ascending(request) if callable(self.ascending) else self.ascending
        direction = "" if ascending else "-"
        qs = queryset.order_by(f"{direction}{self.moment_field}", f"{direction}pk")
        if pagination.cursor:
            try:
                moment, pk = cursor_decode(pagination.cursor)
            except ValueError:
                raise HttpError(
                    400,
                    _(
                        "Ongeldige cursor. Gebruik de waarde van next_cursor uit het vorige "
                        "antwoord, of laat cursor weg voor de eerste pagina."
                    ),
                ) from None
            after = "gt" if ascending else "lt"
            qs = qs.filter(
                Q(**{f"{self.moment_field}__{after}": moment})
                | Q(**{self.moment_field: moment, f"pk__{after}": pk})
            )
        # One more than asked: whether there is a next page, without counting.
        items = list(qs[: pagination.limit + 1])
        next_cursor = None
        if len(items) > pagination.limit:
            items = items[: pagination.limit]
            last = items[-1]
            next_cursor = cursor_encode(getattr(last, self.moment_field), last.pk)
        return {"items": items, "next_cursor": next_cursor}
