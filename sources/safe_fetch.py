"""Fetching a page a member linked to, without letting the link reach inside our network.

A link is someone else's choice of address, so the worker that fetches it must not become a
way into the machines around it (server-side request forgery). Every request, and every
redirect, goes through `vet`:

1. http or https only, on the scheme's own port (80 or 443), no user name or password in it;
2. a host written as an IP address must be in its one canonical form: `0`, `2130706433`
   (decimal), `0177.0.0.1` (octal), `0x7f.1` and `127.1` are refused, not interpreted;
3. the name is resolved once, and every address it resolves to must be public
   (`is_public_address`): not private, loopback, link-local (with 169.254.169.254, the cloud
   metadata service), CGNAT, multicast, reserved, documentation, IPv6 unique-local, or an
   IPv4 address dressed as IPv6 (mapped, NAT64, 6to4, Teredo);
4. the connection goes to that vetted address itself: no second lookup that a DNS server
   could answer differently (DNS rebinding). The name still travels in the Host header and as
   TLS SNI, and the certificate is checked against the name.

Then at most SOURCE_FETCH_MAX_REDIRECTS redirects, each vetted again; a 5 s deadline for the
whole fetch; at most SOURCE_FETCH_MAX_BYTES read while streaming (the Content-Length is not
trusted); and only the expected content types.

Tests run a local HTTP server on 127.0.0.1, which step 3 refuses. The only way past it is the
setting SOURCES_FETCH_TEST_SERVER = "127.0.0.1:<port>", which no settings module sets (a test
fixture does), and which only ever admits that one loopback address and port.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

USER_AGENT = "KennisCloud-linkvoorbeeld/1.0"
HTML_TYPES = ("text/html", "application/xhtml+xml")
JSON_TYPES = ("application/json", "text/json")
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024

# Every range that is not the public internet. `ipaddress`'s own is_global misses some of
# these in older Pythons (and 3.11's is the one we run), so the list is explicit.
_BLOCKED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local machine
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, with the metadata service 169.254.169.254
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, with 255.255.255.255
        "::/128",
        "::1/128",
        "::ffff:0:0/96",  # IPv4-mapped
        "::/96",  # IPv4-compatible (deprecated)
        "64:ff9b::/96",  # NAT64
        "64:ff9b:1::/48",
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments, with Teredo 2001::/32
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # site-local (deprecated)
        "ff00::/8",  # multicast
    )
)
# A host made of digits, dots and hex letters with an x: an attempt at an IP address.
_NUMERIC_HOST = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]*))*\.?$", re.IGNORECASE)


class FetchRefused(Exception):
    """The address may not be fetched, or what came back is not what we take. `code` is a
    short reason, stored on the Source and logged; never shown to members as such."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # the name as written (lowercase): Host header, SNI, certificate check
    port: int
    address: str  # the vetted IP address we connect to
    path: str  # path and query


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    charset: str | None
    body: bytes


def is_public_address(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if any(ip in network for network in _BLOCKED_NETWORKS if network.version == ip.version):
        return False
    return bool(ip.is_global) and not (ip.is_multicast or ip.is_reserved or ip.is_private)


def resolve(host: str, port: int) -> list[str]:
    """Every address the name resolves to. Tests replace this to play a hostile DNS."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused("dns", str(error)) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _test_server() -> tuple[str, int] | None:
    """The one loopback address and port a test fixture may open up (see the module)."""
    value = getattr(settings, "SOURCES_FETCH_TEST_SERVER", None)
    if not value:
        return None
    host, _sep, port = str(value).rpartition(":")
    try:
        if not ipaddress.ip_address(host).is_loopback:
            return None
        return host, int(port)
    except ValueError:
        return None


def _literal_ip(host: str) -> str | None:
    """The host as an IP address when it is written as one (IPv6 in brackets is unwrapped by
    urlsplit already); refuses the spellings only an old resolver would understand."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        raise FetchRefused("ip_spelling", host)
    return None


def vet(url: str) -> Target:
    """The address to connect to for this URL, or FetchRefused."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused("url") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise FetchRefused("scheme", scheme or "none")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("credentials")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise FetchRefused("host")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchRefused("host") from None
    port = port if port is not None else _DEFAULT_PORTS[scheme]
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    literal = _literal_ip(host)
    test_server = _test_server()
    if literal is not None and test_server == (literal, port) and scheme == "http":
        return Target(url, scheme, host, port, literal, path)
    if port != _DEFAULT_PORTS[scheme]:
        raise FetchRefused("port", str(port))
    if literal is None and "." not in host:
        raise FetchRefused("host", host)  # a single label: a name for the local network
    addresses = [literal] if literal is not None else resolve(host, port)
    if not addresses:
        raise FetchRefused("dns", host)
    refused = [address for address in addresses if not is_public_address(address)]
    if refused:
        # One private address among public ones is enough: which one a client picks is not
        # ours to choose, so the name as a whole is refused.
        raise FetchRefused("address", refused[0])
    return Target(url, scheme, host, port, addresses[0], path)


def _pool(target: Target, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    if target.scheme == "https":
        try:
            import certifi

            ca_certs: str | None = certifi.where()
        except ImportError:  # the system's store then
            ca_certs = None
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=ca_certs,
            server_hostname=target.host,  # SNI
            assert_hostname=target.host,  # the certificate is the name's, not the address's
        )
    return urllib3.HTTPConnectionPool(
        target.address, target.port, timeout=timeout, retries=False, maxsize=1
    )


def _host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    return host if target.port == _DEFAULT_PORTS[target.scheme] else f"{host}:{target.port}"


def _read_capped(response, limit: int, deadline: float) -> bytes:
    """The body, at most `limit` bytes, by `deadline`. Each receive waits only for the time left,
    so a server that drips a byte at a time cannot stretch the fetch past its deadline."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchRefused("too_large", declared)
    sock = getattr(response.connection, "sock", None)
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused("timeout")
        if sock is not None:
            sock.settimeout(remaining)
        chunk = response.read1(_CHUNK, decode_content=False)
        if not chunk:
            return bytes(body)
        body.extend(chunk)
        if len(body) > limit:
            raise FetchRefused("too_large", f">{limit}")


def _content_type(response) -> tuple[str, str | None]:
    value = response.headers.get("Content-Type", "")
    media_type, *params = (part.strip() for part in value.split(";"))
    charset = None
    for param in params:
        name, _sep, param_value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = param_value.strip().strip('"') or None
    return media_type.lower(), charset


def fetch(
    url: str,
    *,
    accept: tuple[str, ...] = HTML_TYPES,
    max_bytes: int | None = None,
) -> Fetched:
    """GET `url` the safe way (see the module), or FetchRefused with the reason."""
    limit = max_bytes or settings.SOURCE_FETCH_MAX_BYTES
    deadline = time.monotonic() + settings.SOURCE_FETCH_TIMEOUT
    for _hop in range(settings.SOURCE_FETCH_MAX_REDIRECTS + 1):
        target = vet(url)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused("timeout")
        pool = _pool(target, urllib3.Timeout(connect=remaining, read=remaining))
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers={
                    "Host": _host_header(target),
                    "User-Agent": USER_AGENT,
                    "Accept": ", ".join(accept),
                    "Accept-Language": "nl, en;q=0.8",
                    # Uncompressed only: a compressed body could grow a thousandfold past the
                    # size cap while being unpacked (a "zip bomb").
                    "Accept-Encoding": "identity",
                },
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
        except urllib3.exceptions.TimeoutError:
            pool.close()
            raise FetchRefused("timeout") from None
        except urllib3.exceptions.HTTPError as error:
            pool.close()
            raise FetchRefused("connection", type(error).__name__) from None
        try:
            if response.status in _REDIRECTS:
                location = response.headers.get("Location", "")
                if not location:
                    raise FetchRefused("status", str(response.status))
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused("status", str(response.status))
            media_type, charset = _content_type(response)
            if media_type not in accept:
                raise FetchRefused("content_type", media_type or "none")
            encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
            if encoding not in ("", "identity"):
                raise FetchRefused("content_encoding", encoding)
            try:
                body = _read_capped(response, limit, deadline)
            except (urllib3.exceptions.TimeoutError, TimeoutError):
                raise FetchRefused("timeout") from None
            except urllib3.exceptions.HTTPError as error:
                raise FetchRefused("connection", type(error).__name__) from None
            except OSError as error:
                raise FetchRefused("connection", type(error).__name__) from None
            return Fetched(url=url, content_type=media_type, charset=charset, body=body)
        finally:
            response.release_conn()
            pool.close()
    raise FetchRefused("redirects", str(settings.SOURCE_FETCH_MAX_REDIRECTS))
