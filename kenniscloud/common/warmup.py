"""A web worker's start: everything loaded once, then kept out of the garbage collector's way.

Python's cyclic garbage collector now and then walks every object it tracks (a generation-2
collection). A worker that has loaded Django, Wagtail and every view tracks hundreds of thousands
of objects that live as long as the process, so such a walk took 100-120 ms, in the middle of
whatever request caused it: the slowest percent of searches on a million rows was these walks,
not the database (`make bench`, README "Search"). `gc.freeze()` moves every object alive at that
moment to a permanent generation that collections skip; objects made by requests are collected
as before. The URLconf is loaded first (Django otherwise imports it on the first request), so
the views, forms and templates tags it imports are frozen too.
"""

from __future__ import annotations

import gc


def load_and_freeze() -> None:
    """Import the URLconf (and so every view), collect once, and freeze what is left."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 -- imports every URLconf and view module
    gc.collect()
    gc.freeze()
