"""A tiny SMTP server on loopback for the mail tests: it accepts slowly, or says nothing at all.

`SmtpSink()` speaks just enough SMTP for Django's SMTP backend (EHLO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT). After the final dot of a message it takes `delay` seconds (a real server writes the
message to its queue), records the message and only then answers 250: a client killed during
that time leaves the server holding a message the client never heard was accepted, the way a
real server would. `silent=True` accepts connections and never says a word; `hang_up_after=n`
closes a connection without a word after its n-th message (a server's limit per connection).
"""

from __future__ import annotations

import contextlib
import re
import socket
import socketserver
import threading
import time
from collections import Counter


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        sink = self.server.sink
        sink._opened(self.request)
        try:
            if sink.silent:
                while self.request.recv(1024):  # until the client or stop() hangs up
                    pass
                return
            self._talk(sink)
        except OSError:
            pass  # the client went away
        finally:
            sink._closed(self.request)

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def _talk(self, sink: SmtpSink) -> None:
        self._reply("220 sink.test ESMTP")
        recipients: list[str] = []
        accepted = 0
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self._reply("250 sink.test")
            elif verb == b"MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == b"RCPT":
                match = re.search(rb"<([^>]*)>", line)
                recipients.append(match.group(1).decode() if match else "")
                self._reply("250 OK")
            elif verb == b"DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                if data is None:
                    return  # the client died in the middle of the message
                with sink._lock:
                    sink.in_flight += 1
                try:
                    time.sleep(sink.delay)
                    sink._record(recipients, data)
                finally:
                    with sink._lock:
                        sink.in_flight -= 1
                self._reply("250 OK queued")
                accepted += 1
                if accepted == sink.hang_up_after:
                    return
            elif verb in (b"RSET", b"NOOP"):
                self._reply("250 OK")
            elif verb == b"QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("500 Unknown command")

    def _read_data(self) -> bytes | None:
        lines = []
        while line := self.rfile.readline():
            if line == b".\r\n":
                return b"".join(lines)
            lines.append(line)
        return None


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    sink: SmtpSink


class SmtpSink:
    def __init__(
        self, *, delay: float = 0.05, silent: bool = False, hang_up_after: int | None = None
    ):
        self.delay = delay
        self.silent = silent
        self.hang_up_after = hang_up_after
        self.messages: list[tuple[list[str], bytes]] = []
        self.connections = 0
        self.in_flight = 0  # messages past their final dot, not yet answered
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and hang up on every client (a client blocked on us gets EOF)."""
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _opened(self, sock: socket.socket) -> None:
        with self._lock:
            self.connections += 1
            self._sockets.add(sock)

    def _closed(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def _record(self, recipients: list[str], data: bytes) -> None:
        with self._lock:
            self.messages.append((list(recipients), data))

    def delivered(self) -> Counter:
        """Recipient address -> number of messages the server accepted for it."""
        with self._lock:
            return Counter(r for recipients, _data in self.messages for r in recipients)

    def wait_for(self, predicate, timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self):
                return True
            time.sleep(0.01)
        return False
