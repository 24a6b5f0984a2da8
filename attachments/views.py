"""The files themselves, streamed through Django after the same check as the post's page."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from . import selectors

# A file never changes under its key; a removed one is gone with its key.
PUBLIC_MAX_AGE = 60 * 60 * 24 * 7
PRIVATE_MAX_AGE = 60 * 60


@require_safe
def attachment_file(request, key, width: int | None = None):
    attachment, contribution = selectors.attachment_get_visible(request.user, key)
    name = attachment.file.name
    if width is not None:
        rendition = attachment.rendition_for(width)
        if rendition is None:
            raise Http404
        name = rendition["name"]
    try:
        handle = attachment.file.storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        # A PDF is a download, never a page of ours: whatever it holds runs nowhere here.
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
    )
    # Even an image opened on its own gets no script, no plugin, no form: a sandbox.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    if selectors.attachment_is_public(attachment, contribution):
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        # Files of a private community (or of a hidden post): the member's browser only.
        patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
    return response
