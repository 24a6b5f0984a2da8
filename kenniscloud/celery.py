import os

from celery import Celery

# Workers and beat run only in production (`make run` and the tests run tasks in process), so
# like wsgi.py this defaults to the production settings: `celery -A kenniscloud worker` refuses
# to start without its secrets instead of quietly running the embedded default.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenniscloud.settings.production")

# Every task is a FailSoftTask: a request whose task the broker cannot take still answers, and the
# task is kept in the database and queued when the broker is back (kenniscloud/common/publish.py).
app = Celery("kenniscloud", task_cls="kenniscloud.common.publish:FailSoftTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
