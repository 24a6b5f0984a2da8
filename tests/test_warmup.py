"""A web worker's start (kenniscloud/wsgi.py): every view loaded, then frozen out of the garbage
collector's full collections. gunicorn importing wsgi.py itself is tested on the image's own
file set (tests/test_image.py)."""

from __future__ import annotations

import gc
import sys

from kenniscloud.common.warmup import load_and_freeze


def test_the_worker_loads_every_view_and_freezes_what_it_loaded():
    gc.unfreeze()
    try:
        load_and_freeze()
        # Django, Wagtail and the project: far more than a bare interpreter's few thousand.
        assert gc.get_freeze_count() > 50_000
        assert {"search.views", "knowledge.views", "meetups.views"} <= set(sys.modules)
        # Objects made afterwards are collected as before.
        assert gc.isenabled()
    finally:
        gc.unfreeze()
