"""A mail backend for the worker tests: one file per accepted mail, after a slow "SMTP" talk.

Before "talking to the server" it leaves `<id>.inflight` (naming the recipient), sleeps
`KC_TEST_MAIL_DELAY` seconds, then writes `<id>.eml` atomically and removes the marker. A test can
kill the worker while a mail is in flight and count the mails each address really got.
"""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from email import message_from_bytes
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages) -> int:
        directory = Path(os.environ["KC_TEST_MAILDIR"])
        delay = float(os.environ.get("KC_TEST_MAIL_DELAY", "0"))
        for message in messages:
            name = uuid.uuid4().hex
            marker = directory / f"{name}.inflight"
            marker.write_text(",".join(message.recipients()))
            time.sleep(delay)
            partial = directory / f"{name}.partial"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(directory / f"{name}.eml")
            marker.unlink()
        return len(messages)


def delivered(directory: Path) -> Counter:
    """Recipient address -> number of mails that arrived."""
    counts: Counter = Counter()
    for path in directory.glob("*.eml"):
        counts[message_from_bytes(path.read_bytes())["To"]] += 1
    return counts


def in_flight(directory: Path) -> list[Path]:
    return list(directory.glob("*.inflight"))
