import os

from celery import Celery

# Workers and beat run only in production (`make run` and the tests run tasks in process), so
# like wsgi.py this defaults to the production settings: `celery -A kenniscloud worker` refuses
# to start without its secrets instead of quietly running the embedded default.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenniscloud.settings.production")

app = Celery("kenniscloud")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
