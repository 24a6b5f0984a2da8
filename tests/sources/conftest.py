"""A local web server for the link-preview tests: the suite never reaches the internet.

`page_server` serves what a test puts in its `routes` ({path: Route}), and opens the fetcher's
one test door for it (SOURCES_FETCH_TEST_SERVER = "127.0.0.1:<port>", see sources/safe_fetch.py),
which no settings module sets.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # Seconds to wait after the headers, before the body (a slow server).
    delay: float = 0
    # Send the body in pieces of this many bytes, `drip` seconds apart, without a length.
    drip: float = 0
    piece: int = 1


@dataclass
class PageServer:
    port: int
    routes: dict[str, Route]
    requests: list[str]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path


def _handler(routes: dict[str, Route], requests: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            requests.append(self.path)
            route = routes.get(self.path) or routes.get(self.path.split("?", 1)[0])
            if route is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            for name, value in route.headers.items():
                self.send_header(name, value)
            if not route.drip:
                self.send_header("Content-Length", str(len(route.body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.flush()
            if route.delay:
                time.sleep(route.delay)
            try:
                if route.drip:
                    for start in range(0, len(route.body), route.piece):
                        self.wfile.write(route.body[start : start + route.piece])
                        self.wfile.flush()
                        time.sleep(route.drip)
                else:
                    self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def page_server(settings) -> Iterator[PageServer]:
    routes: dict[str, Route] = {}
    requests: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(routes, requests))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    settings.SOURCES_FETCH_TEST_SERVER = f"127.0.0.1:{port}"
    try:
        yield PageServer(port=port, routes=routes, requests=requests)
    finally:
        server.shutdown()
        server.server_close()


def png_bytes(size=(40, 30), color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def page(head: str, body: str = "<p>Tekst</p>") -> bytes:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>".encode()
