"""One browser connection to the egress proxy, relayed request by request.

Chromium speaks to the proxy in two ways: ``GET http://host/path`` for plain HTTP, and
``CONNECT host:port`` for everything else (HTTPS, WebSockets, Playwright's own fetches). For
each, the host is resolved and judged by the :class:`~crawler.fetch.guard.EgressPolicy`
*once*, and the connection is made to the addresses judged: what was checked is what is
connected to, whatever a second DNS answer would say. Inside a tunnel, TLS is ended here
(:mod:`crawler.fetch.egress.certs`) so every request and response is seen in the clear:
responses are decoded here with a bound and counted against the page's caps, piece by
piece as they are inflated; a body over a cap is cut and the session records ``too_large``
(a body that breaks off, ``bad_content``). WebSockets are relayed without extensions, so the
bytes counted are the bytes that matter. Whatever cannot be relayed ends with the browser's
connection closed and the reason written in the session.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from urllib.parse import urlsplit

import h11

from crawler.errors import BadUrl, DecodeFailed, GuardError, ResolveFailed
from crawler.fetch.decoding import ACCEPT_ENCODING, BoundedDecoder
from crawler.fetch.egress.certs import LocalAuthority
from crawler.fetch.egress.session import EgressSession
from crawler.fetch.egress.streams import PlainStream, Stream, TlsServerStream
from crawler.fetch.guard import EgressPolicy
from foundation.vocabulary import ErrorReason

Header = tuple[bytes, bytes]

# Request headers that concern one hop (RFC 9110 §7.6.1) or that we set ourselves.
_HOP_REQUEST = frozenset({b"connection", b"keep-alive", b"proxy-connection",
                          b"proxy-authorization", b"te", b"trailer", b"transfer-encoding",
                          b"upgrade", b"accept-encoding", b"sec-websocket-extensions"})
# Response headers that no longer hold once we decode and re-frame the body.
_HOP_RESPONSE = frozenset({b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding",
                           b"content-length", b"content-encoding", b"trailer", b"upgrade",
                           b"proxy-authenticate"})
_DOCUMENT_DESTS = frozenset({b"document", b"iframe", b"frame", b"embed", b"object"})
_IDLE = 60.0  # how long a kept-alive browser connection may wait for its next request


class _Cut(Exception):
    """Stop relaying this connection; the session already knows why."""


@dataclass
class _Upstream:
    """A connection to an origin server, made to an approved address."""

    key: tuple[str, str, int]  # scheme, host, port
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    conn: h11.Connection

    def reusable(self) -> bool:
        return self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE

    def close(self) -> None:
        self.writer.close()


def _header(headers: Iterable[Header], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _is_document(headers: Iterable[Header]) -> bool:
    """A navigation (page or frame), from the fetch metadata Chromium sends, else ``Accept``."""
    headers = list(headers)
    dest = _header(headers, b"sec-fetch-dest")
    if dest is not None:
        return dest.lower() in _DOCUMENT_DESTS
    if (_header(headers, b"sec-fetch-mode") or b"").lower() == b"navigate":
        return True
    return (_header(headers, b"accept") or b"").lower().startswith(b"text/html")


def _is_websocket(headers: Iterable[Header]) -> bool:
    return (_header(headers, b"upgrade") or b"").lower() == b"websocket"


def _split_authority(authority: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(f"//{authority}")
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or default_port
    except ValueError:
        raise BadUrl(f"bad port in {authority[:100]!r}") from None
    if not host:
        raise BadUrl(f"no host in {authority[:100]!r}")
    return host, port


def _error_reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return "tls"
    if isinstance(exc, h11.ProtocolError):
        return "bad_content"
    return "connection"


def _head_size(status: int, reason: bytes, headers: Iterable[Header]) -> int:
    """The bytes of a response head on the wire (status line, fields, blank line)."""
    return 15 + len(reason) + sum(len(k) + len(v) + 4 for k, v in headers) + 2 + len(str(status))


class Relay:
    """Serves one connection Chromium opened to a session's port."""

    def __init__(self, session: EgressSession, policy: EgressPolicy, authority: LocalAuthority,
                 upstream_tls: ssl.SSLContext,
                 approved: dict[tuple[str, int], tuple[str, ...] | GuardError],
                 resolvers: Executor) -> None:
        self.session = session
        self.limits = session.limits
        self.policy = policy
        self.resolvers = resolvers  # the proxy's own few threads for DNS, never the default
        self.authority = authority
        self.upstream_tls = upstream_tls
        self.approved = approved  # per session: the addresses judged for each host and port
        self._upstream: _Upstream | None = None
        self._writer: asyncio.StreamWriter | None = None

    def abort(self) -> None:
        """Close both sides now (the session is closing)."""
        if self._upstream is not None:
            self._upstream.close()
        if self._writer is not None:
            self._writer.close()

    # -- judging and connecting -------------------------------------------------------

    async def _approve(self, host: str, port: int) -> tuple[str, ...]:
        key = (host, port)
        found = self.approved.get(key)
        if found is None:
            loop = asyncio.get_running_loop()
            timeout = self.limits.connect_timeout
            try:
                found = await asyncio.wait_for(loop.run_in_executor(
                    self.resolvers, self.policy.check_host, host, port), timeout)
            except GuardError as exc:
                found = exc
            except TimeoutError:
                found = ResolveFailed(f"resolving {host} took longer than {timeout:g}s")
            self.approved[key] = found
        if isinstance(found, GuardError):
            raise found
        return found

    async def _connect(self, scheme: str, host: str, port: int,
                       ips: tuple[str, ...]) -> _Upstream:
        key = (scheme, host, port)
        old = self._upstream
        if old is not None:
            if old.key == key and old.reusable():
                old.conn.start_next_cycle()
                return old
            old.close()
            self._upstream = None
        last: BaseException | None = None
        for ip in ips:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(
                    ip, port, ssl=self.upstream_tls if scheme == "https" else None,
                    server_hostname=host if scheme == "https" else None,
                    limit=self.limits.max_head_bytes), self.limits.connect_timeout)
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                last = exc
                continue
            self._upstream = _Upstream(key, reader, writer, h11.Connection(
                h11.CLIENT, max_incomplete_event_size=self.limits.max_head_bytes))
            return self._upstream
        assert last is not None
        raise last

    # -- reading and writing h11 events -----------------------------------------------

    @staticmethod
    async def _send(conn: h11.Connection, stream: Stream, event: h11.Event) -> None:
        data = conn.send(event)
        if data:
            await stream.write(data)

    @staticmethod
    async def _next(conn: h11.Connection, stream: Stream, timeout: float) -> h11.Event:
        while True:
            event = conn.next_event()
            if event is not h11.NEED_DATA:
                return event  # type: ignore[return-value]
            conn.receive_data(await asyncio.wait_for(stream.read(), timeout))

    # -- the connection ---------------------------------------------------------------

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        stream = PlainStream(reader, writer)
        self._writer = writer
        try:
            await self._serve(reader, writer, stream)
        except (_Cut, OSError, TimeoutError, ssl.SSLError, h11.ProtocolError, DecodeFailed):
            pass
        finally:
            if self._upstream is not None:
                self._upstream.close()
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     stream: PlainStream) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head_bytes)
        first = await self._next(conn, stream, _IDLE)
        if not isinstance(first, h11.Request):
            return
        if first.method != b"CONNECT":
            await self._relay_requests(conn, stream, None, first)
            return
        authority = first.target.decode("latin-1")
        try:
            host, port = _split_authority(authority, 443)
            ips = await self._approve(host, port)
        except GuardError as exc:
            self.session.refuse(authority, exc.reason, exc.detail)
            await self._send(conn, stream, h11.Response(
                status_code=403, headers=[(b"content-length", b"0"), (b"connection", b"close")]))
            return
        await self._send(conn, stream, h11.Response(status_code=200, headers=[]))
        pending, _ = conn.trailing_data
        head = bytes(pending) or await asyncio.wait_for(reader.read(64 * 1024), _IDLE)
        if not head:
            return
        inner: Stream
        if head[0] == 0x16:  # a TLS record: Chromium starts TLS inside the tunnel
            tls = TlsServerStream(reader, writer, self.authority.context_for(host), head)
            await asyncio.wait_for(tls.handshake(), self.limits.connect_timeout)
            inner, scheme = tls, "https"
        else:
            inner, scheme = PlainStream(reader, writer, head), "http"
        tunnel = h11.Connection(h11.SERVER, max_incomplete_event_size=self.limits.max_head_bytes)
        await self._relay_requests(tunnel, inner, (scheme, host, port, ips), None)

    async def _relay_requests(self, conn: h11.Connection, stream: Stream,
                              tunnel: tuple[str, str, int, tuple[str, ...]] | None,
                              first: h11.Request | None) -> None:
        """Relay each request of a kept-alive connection until either side closes it."""
        request = first
        while True:
            if request is None:
                event = await self._next(conn, stream, _IDLE)
                if not isinstance(event, h11.Request):
                    return
                request = event
            if not await self._exchange(conn, stream, tunnel, request):
                return
            request = None
            if conn.our_state is not h11.DONE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()

    async def _exchange(self, conn: h11.Connection, stream: Stream,
                        tunnel: tuple[str, str, int, tuple[str, ...]] | None,
                        request: h11.Request) -> bool:
        """One request and its answer; False when the connection must end."""
        target = request.target.decode("latin-1")
        document = _is_document(request.headers)
        if tunnel is not None:
            scheme, host, port, ips = tunnel
            default = 443 if scheme == "https" else 80
            shown = host if port == default else f"{host}:{port}"
            url = f"{scheme}://{shown}{target if target.startswith('/') else '/' + target}"
        else:
            url = target
            parts = urlsplit(target)
            scheme = parts.scheme.lower()
            if scheme != "http" or not parts.hostname:
                self.session.refuse(url, "bad_url", "not an absolute http URL", document=document)
                raise _Cut
            try:
                host, port = _split_authority(parts.netloc.rpartition("@")[2], 80)
                ips = await self._approve(host, port)
            except GuardError as exc:
                self.session.refuse(url, exc.reason, exc.detail, document=document)
                raise _Cut from None
            target = parts.path or "/"
            if parts.query:
                target += "?" + parts.query
        if not self.session.saw_request(url, document=document):
            self.session.refuse(url, ErrorReason.TOO_LARGE, "the page made more than "
                                f"{self.limits.max_requests} requests", document=document)
            raise _Cut
        if self.session.closed:
            raise _Cut
        body = await self._request_body(conn, stream, url, document)
        try:
            upstream = await self._connect(scheme, host, port, ips)
            headers = self._request_headers(request.headers, host, port, scheme)
            await self._send(upstream.conn, PlainStream(upstream.reader, upstream.writer),
                             h11.Request(method=request.method, target=target.encode("latin-1"),
                                         headers=headers))
            if body:
                await self._send(upstream.conn, PlainStream(upstream.reader, upstream.writer),
                                 h11.Data(data=body))
            await self._send(upstream.conn, PlainStream(upstream.reader, upstream.writer),
                             h11.EndOfMessage())
            answer = await self._next(upstream.conn, PlainStream(upstream.reader, upstream.writer),
                                      self.limits.read_timeout)
        except (OSError, TimeoutError, ssl.SSLError, h11.ProtocolError) as exc:
            self.session.refuse(url, _error_reason(exc), f"{type(exc).__name__}: {exc}"[:300],
                                document=document)
            raise _Cut from None
        self._count_head(answer, url, document)
        if isinstance(answer, h11.InformationalResponse) and answer.status_code == 101 \
                and _is_websocket(request.headers):
            await self._pipe_websocket(conn, stream, upstream, answer, url)
            return False
        while isinstance(answer, h11.InformationalResponse):  # 100 Continue, 103 Early Hints
            answer = await self._next(upstream.conn,
                                      PlainStream(upstream.reader, upstream.writer),
                                      self.limits.read_timeout)
            self._count_head(answer, url, document)
        if not isinstance(answer, h11.Response):
            self.session.refuse(url, "connection", "the server closed without an answer",
                                document=document)
            raise _Cut
        return await self._relay_response(conn, stream, upstream, request, answer, url, document)

    def _count(self, url: str, count: int, document: bool, what: str) -> None:
        """Count bytes against the page's cap; over it, record ``too_large`` and cut."""
        if not self.session.add_traffic(count):
            self.session.refuse(url, ErrorReason.TOO_LARGE, f"{what} over the page's cap of "
                                f"{self.limits.max_page_bytes} bytes", document=document)
            raise _Cut

    def _count_head(self, answer: h11.Event, url: str, document: bool) -> None:
        if isinstance(answer, h11.Response | h11.InformationalResponse):
            self._count(url, _head_size(answer.status_code, answer.reason, answer.headers),
                        document, "the page's bytes")

    def _request_headers(self, headers: Iterable[Header], host: str, port: int,
                         scheme: str) -> list[Header]:
        headers = list(headers)
        named = {n.strip().lower() for n in (_header(headers, b"connection") or b"").split(b",")}
        websocket = _is_websocket(headers)
        out = [(k, v) for k, v in headers
               if k.lower() not in _HOP_REQUEST and k.lower() not in named]
        if _header(out, b"host") is None:
            default = 443 if scheme == "https" else 80
            out.insert(0, (b"host", (host if port == default else f"{host}:{port}").encode()))
        if websocket:
            out += [(b"connection", b"Upgrade"), (b"upgrade", b"websocket")]
        else:
            out.append((b"accept-encoding", ACCEPT_ENCODING.encode()))
        return out

    async def _request_body(self, conn: h11.Connection, stream: Stream, url: str,
                            document: bool) -> bytes:
        body = bytearray()
        while True:
            event = await self._next(conn, stream, self.limits.read_timeout)
            if isinstance(event, h11.Data):
                body += event.data
                if len(body) > self.limits.max_request_body:
                    self.session.refuse(url, "too_large", "request body over the cap",
                                        document=document)
                    raise _Cut
            elif isinstance(event, h11.EndOfMessage):
                return bytes(body)
            else:
                raise _Cut

    async def _relay_response(self, conn: h11.Connection, stream: Stream, upstream: _Upstream,
                              request: h11.Request, answer: h11.Response, url: str,
                              document: bool) -> bool:
        cap = self.limits.max_document_bytes if document else self.limits.max_resource_bytes
        try:
            decoder = BoundedDecoder((_header(answer.headers, b"content-encoding") or b"")
                                     .decode("latin-1"))
        except DecodeFailed as exc:
            self.session.refuse(url, "bad_content", str(exc), document=document)
            raise _Cut from None
        length = _header(answer.headers, b"content-length")
        if length is not None and length.strip().isdigit() and int(length) > cap:
            self.session.refuse(url, "too_large", f"Content-Length {int(length)} exceeds {cap} "
                                "bytes", document=document)
            raise _Cut
        headers = [(k, v) for k, v in answer.headers if k.lower() not in _HOP_RESPONSE]

        def response(extra: list[Header]) -> h11.Response:
            return h11.Response(status_code=answer.status_code, headers=headers + extra,
                                reason=answer.reason)

        # A document is held whole before Chromium sees any of it: one over the cap then fails
        # its navigation at once (a document cut mid-body would leave the page loading until
        # the timeout). Subresources are streamed.
        held: bytearray | None = bytearray() if document else None
        if held is None:
            await self._send(conn, stream, response([]))
        upstream_stream = PlainStream(upstream.reader, upstream.writer)
        received = 0
        while True:
            event = await self._next(upstream.conn, upstream_stream, self.limits.read_timeout)
            pieces: Iterator[bytes]
            if isinstance(event, h11.Data):
                pieces = decoder.feed(event.data)
            elif isinstance(event, h11.EndOfMessage):
                pieces = decoder.finish()
            else:
                self.session.refuse(url, "connection", "the server closed mid-answer",
                                    document=document)
                raise _Cut
            try:
                # One piece at a time, counted as it is inflated: one read of a few hundred
                # bytes may inflate to gigabytes.
                for piece in pieces:
                    received += len(piece)
                    if received > cap:
                        self.session.refuse(url, ErrorReason.TOO_LARGE,
                                            f"body exceeds {cap} bytes", document=document)
                        raise _Cut
                    self._count(url, len(piece), document, "the page's bytes")
                    if held is not None:
                        held += piece
                    elif conn.our_state is h11.SEND_BODY:
                        await self._send(conn, stream, h11.Data(data=piece))
            except DecodeFailed as exc:
                # Part of the body may have reached the browser: the page was not seen whole.
                self.session.refuse(url, ErrorReason.BAD_CONTENT, str(exc), document=document,
                                    cut=True)
                raise _Cut from None
            if isinstance(event, h11.EndOfMessage):
                break
        if held is not None:
            bodiless = request.method == b"HEAD" or answer.status_code in (204, 304)
            await self._send(conn, stream, response(
                [] if bodiless else [(b"content-length", str(len(held)).encode())]))
            if held and conn.our_state is h11.SEND_BODY:
                await self._send(conn, stream, h11.Data(data=bytes(held)))
        await self._send(conn, stream, h11.EndOfMessage())
        return True

    async def _pipe_websocket(self, conn: h11.Connection, stream: Stream, upstream: _Upstream,
                              answer: h11.InformationalResponse, url: str) -> None:
        """After a ``101 Switching Protocols``, copy frames both ways, counted against the cap.

        No extension was asked for (the browser's offer is not passed on), so a server that
        negotiates one anyway (compressed frames we would count compressed) is refused.
        """
        if _header(answer.headers, b"sec-websocket-extensions") is not None:
            self.session.refuse(url, ErrorReason.BAD_CONTENT,
                                "the server negotiated a WebSocket extension it was not offered")
            upstream.close()
            self._upstream = None
            raise _Cut
        headers = [(k, v) for k, v in answer.headers
                   if k.lower() not in (b"content-length", b"transfer-encoding")]
        await self._send(conn, stream, h11.InformationalResponse(status_code=101,
                                                                 headers=headers))
        upstream_stream = PlainStream(upstream.reader, upstream.writer,
                                      bytes(upstream.conn.trailing_data[0]))
        browser_pending = bytes(conn.trailing_data[0])
        session = self.session

        def within_cap(data: bytes) -> bool:
            if session.add_traffic(len(data)):
                return True
            session.refuse(url, ErrorReason.TOO_LARGE, "WebSocket traffic over the page's cap")
            return False

        async def to_server() -> None:
            data = browser_pending or await stream.read()
            while data:
                if not within_cap(data):
                    return
                await upstream_stream.write(data)
                data = await stream.read()

        async def to_browser() -> None:
            while data := await asyncio.wait_for(upstream_stream.read(), _IDLE):
                if not within_cap(data):
                    return
                await stream.write(data)

        tasks = [asyncio.ensure_future(to_server()), asyncio.ensure_future(to_browser())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            upstream.close()
            self._upstream = None
