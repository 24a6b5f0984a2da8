from django import template

from ..selectors import attachment_list_for_contribution

register = template.Library()


@register.simple_tag
def contribution_attachments(contribution):
    """The contribution's attachments for its page: one query (the page has already found the
    contribution visible)."""
    return attachment_list_for_contribution(contribution)


@register.filter
def attachment_images(attachments) -> list:
    return [a for a in attachments if a.is_image]


@register.filter
def attachment_files(attachments) -> list:
    return [a for a in attachments if not a.is_image]
