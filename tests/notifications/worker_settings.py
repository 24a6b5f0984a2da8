"""Settings for the real `celery worker` that test_worker.py starts against the test database.

The test passes DATABASE_URL (the pytest test database), REDIS_URL, the queue and where mail
goes in the environment. Everything else is as in production: the broker's transport options
(the 5-minute visibility timeout), the tasks' time limits, the batch size (unless
KC_TEST_BATCH_SIZE asks for small batches) and, with KC_TEST_EMAIL_URL, the SMTP backend.
"""

import os

import environ

from kenniscloud.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
# One queue per test run, so nothing else in this Redis database reaches this worker.
CELERY_TASK_DEFAULT_QUEUE = os.environ["KC_TEST_QUEUE"]
if "KC_TEST_EMAIL_URL" in os.environ:
    vars().update(environ.Env.email_url_config(os.environ["KC_TEST_EMAIL_URL"]))
else:
    EMAIL_BACKEND = "tests.notifications.mailbox.SlowFileBackend"
if "KC_TEST_BATCH_SIZE" in os.environ:
    DIGEST_BATCH_SIZE = int(os.environ["KC_TEST_BATCH_SIZE"])
