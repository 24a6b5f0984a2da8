"""The readability advice in the Wagtail page editor: a read-only panel on an article's content
tab, computed from the page as last saved (the editor opens the latest draft)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from .analysis import Advice, blocks_from_html


def page_blocks(page) -> list[str]:
    """The text of a page for the advice: its summary or intro, then each block of its body.

    Rich text is split at its block elements; every other piece of text a block offers to the
    search index (headings, quotes, captions) is a block of its own.
    """
    blocks: list[str] = []
    for name in ("summary", "intro"):
        value = getattr(page, name, "") or ""
        blocks.extend(blocks_from_html(str(value)))
    body = getattr(page, "body", None)
    for block in body or []:
        source = getattr(block.value, "source", None)
        if source is not None:
            blocks.extend(blocks_from_html(source))
            continue
        for text in block.block.get_searchable_content(block.value):
            blocks.extend(blocks_from_html(str(text)))
    return blocks


def page_advice(page) -> Advice:
    from .selectors import advice_for_blocks

    return advice_for_blocks(page_blocks(page))


class ReadabilityPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Leesbaarheid"))
        kwargs.setdefault(
            "help_text",
            _(
                "Advies over de tekst zoals die het laatst is opgeslagen. Sla op om het bij te "
                "werken."
            ),
        )
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "plainlanguage/admin/readability_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["advice"] = page_advice(self.instance)
            return context
