"""The https path as production takes it: the connection goes to the vetted address, the name
travels as SNI and the certificate must be the name's. A local TLS server with a certificate
made for the test stands in for the site; `vet` is replaced only to hand over the vetted
target (loopback, which the real one refuses)."""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from sources import safe_fetch
from sources.safe_fetch import FetchRefused, Target


def _certificate(tmp_path, name: str):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / f"{name}.pem", tmp_path / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    cert_file, key_file = _certificate(tmp_path, "preview.test")
    seen = {}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            seen["host"] = self.headers["Host"]
            body = b'<html><head><meta property="og:title" content="Veilig"></head></html>'
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)

    def remember_sni(sock, name, ctx):
        seen["sni"] = name

    context.sni_callback = remember_sni
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setattr(certifi, "where", lambda: str(cert_file))
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def _vetted(host: str, port: int):
    def vet(url):
        return Target(url, "https", host, port, "127.0.0.1", "/")

    return vet


def test_https_goes_to_the_vetted_address_with_the_name_as_sni_and_host(tls_server, monkeypatch):
    port, seen = tls_server
    monkeypatch.setattr(safe_fetch, "vet", _vetted("preview.test", port))
    fetched = safe_fetch.fetch("https://preview.test/")
    assert b"Veilig" in fetched.body
    assert seen["sni"] == "preview.test"
    assert seen["host"] == f"preview.test:{port}"


def test_a_certificate_for_another_name_is_refused(tls_server, monkeypatch):
    port, _seen = tls_server
    monkeypatch.setattr(safe_fetch, "vet", _vetted("other.test", port))
    with pytest.raises(FetchRefused) as refused:
        safe_fetch.fetch("https://other.test/")
    assert refused.value.code == "connection"
