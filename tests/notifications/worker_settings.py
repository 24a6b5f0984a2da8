"""Settings for the real `celery worker` that test_worker.py starts against the test database.

The test passes DATABASE_URL (the pytest test database), REDIS_URL, the queue and the mail
directory in the environment.
"""

import os

from kenniscloud.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
# One queue per test run, so nothing else in this Redis database reaches this worker.
CELERY_TASK_DEFAULT_QUEUE = os.environ["KC_TEST_QUEUE"]
# A killed worker's unacknowledged messages come back after this many seconds (in production
# the default hour applies); restore sweeps every second instead of every 100.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
EMAIL_BACKEND = "tests.notifications.mailbox.SlowFileBackend"
DIGEST_BATCH_SIZE = int(os.environ.get("KC_TEST_BATCH_SIZE", "4"))
