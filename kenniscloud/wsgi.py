import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenniscloud.settings.production")

application = get_wsgi_application()

# After get_wsgi_application(): it has set Django up.
from kenniscloud.common.warmup import load_and_freeze  # noqa: E402

load_and_freeze()
