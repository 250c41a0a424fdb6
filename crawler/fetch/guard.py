"""The address guard: a URL from the web may point anywhere, including at us.

Any URL the crawler follows (a catalog entry, a crowdsourced submission, a redirect) is
treated as hostile. Before a connection is made the guard checks the URL's shape, resolves
its host and refuses when any address it resolves to is not on the public Internet
(loopback, private, link-local, carrier-grade NAT, reserved, multicast, or an IPv6 form that
embeds one of those). The addresses it approved are then *pinned*: :class:`GuardedBackend`
connects only to them, so a second DNS answer (DNS rebinding) cannot swap in another one.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from crawler.errors import AddressRefused, BadUrl, ResolveFailed
from foundation.addresses import (
    IPAddress,
    IPNetwork,
    as_ip,
    is_public_ip,
    legacy_ipv4,
)

# Same calling convention as socket.getaddrinfo(host, port, family, type, ...).
Resolver = Callable[..., Sequence[tuple[Any, ...]]]

MAX_URL_LENGTH = 2048

_HOST_CHARS = re.compile(r"[a-z0-9_.-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """A URL that passed the guard, with the addresses a connection may use."""

    url: str  # normalised: IDNA host, canonical IP literal, no fragment
    host: str  # the host as it goes on the wire (ASCII, no IPv6 brackets)
    port: int
    ips: tuple[str, ...]  # every resolved address, all approved, in resolver order

    @property
    def ip(self) -> str:
        """The address to connect to first."""
        return self.ips[0]


def _parse_networks(networks: Iterable[str | IPNetwork]) -> tuple[IPNetwork, ...]:
    return tuple(
        ipaddress.ip_network(n, strict=False) if isinstance(n, str) else n for n in networks
    )


def _allowed(addr: IPAddress, allow_private: bool, allow_networks: Sequence[IPNetwork]) -> bool:
    """Policy for one address: public, or explicitly allowed by the caller."""
    if addr.is_unspecified or addr.is_multicast:
        return False  # never an HTTP server, whatever the setting
    if is_public_ip(addr) or allow_private:
        return True
    return any(addr.version == net.version and addr in net for net in allow_networks)


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """:func:`foundation.addresses.legacy_ipv4`, its refusal as a guard error."""
    try:
        return legacy_ipv4(host)
    except ValueError as exc:
        raise BadUrl(str(exc)) from None


@dataclass(frozen=True, slots=True)
class _Parsed:
    url: httpx.URL
    host: str
    port: int
    literal: IPAddress | None


def _parse(url: str) -> _Parsed:
    """Check a URL's shape with the same parser httpx will use to send it."""
    if not isinstance(url, str):
        raise BadUrl("URL must be a string")
    url = url.strip()
    if not url:
        raise BadUrl("empty URL")
    if len(url) > MAX_URL_LENGTH:
        raise BadUrl(f"URL longer than {MAX_URL_LENGTH} characters")
    if _CONTROL.search(url):
        raise BadUrl("control character in URL")
    try:
        parsed = httpx.URL(url)
        raw_host = parsed.raw_host.decode("ascii").lower()
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
        raise BadUrl(f"unparsable URL: {exc}") from None
    if parsed.scheme not in ("http", "https"):
        raise BadUrl(f"scheme {parsed.scheme or '(none)'!r} is not http(s)")
    if not raw_host:
        raise BadUrl("URL has no host")
    if parsed.userinfo:
        raise BadUrl("URL carries a user name or password")
    port = parsed.port if parsed.port is not None else (443 if parsed.scheme == "https" else 80)
    if not 1 <= port <= 65535:
        raise BadUrl(f"port {port} out of range")

    literal: IPAddress | None
    if ":" in raw_host:
        if "%" in raw_host:
            raise BadUrl("IPv6 zone identifiers are never fetched")
        try:
            literal = ipaddress.IPv6Address(raw_host)
        except ValueError:
            raise BadUrl(f"not a valid IPv6 address: {raw_host!r}") from None
        host = str(literal)
    else:
        if not _HOST_CHARS.fullmatch(raw_host):
            raise BadUrl(f"invalid characters in host {raw_host!r}")
        literal = _legacy_ipv4(raw_host)
        if literal is not None:
            host = str(literal)
        else:
            host = raw_host.rstrip(".")
            labels = host.split(".")
            if len(host) > 253 or any(not label or len(label) > 63 for label in labels):
                raise BadUrl(f"invalid host name {raw_host!r}")
    normal = parsed.copy_with(fragment=None)
    if host != raw_host:
        normal = normal.copy_with(host=host)
    if len(str(normal)) > MAX_URL_LENGTH:
        raise BadUrl(f"URL longer than {MAX_URL_LENGTH} characters")
    return _Parsed(url=normal, host=host, port=port, literal=literal)


def validate_url(url: str) -> str:
    """Check a URL's shape without resolving it; returns the normalised URL or raises BadUrl."""
    return str(_parse(url).url)


def _resolve(host: str, port: int, resolver: Resolver) -> tuple[IPAddress, ...]:
    if host == "localhost" or host.endswith(".localhost"):
        # RFC 6761: always loopback, whatever a resolver might claim.
        return (ipaddress.IPv4Address("127.0.0.1"),)
    try:
        infos = resolver(host, port, 0, socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise ResolveFailed(f"cannot resolve {host}: {exc}") from None
    found: list[IPAddress] = []
    for info in infos:
        try:
            addr = ipaddress.ip_address(str(info[4][0]))
        except (ValueError, IndexError, TypeError):
            continue
        if addr not in found:
            found.append(addr)
    if not found:
        raise ResolveFailed(f"{host} resolved to no usable address")
    return tuple(found)


# Ports a public host is fetched on unless the operator allows more (``XKTRACKER_ALLOWED_PORTS``):
# a web page never needs Redis (6379), SSH (22) or SMTP (25), and a fetch there is a port scan.
WEB_PORTS = frozenset({80, 443})


@dataclass(frozen=True, slots=True)
class EgressPolicy:
    """Where the crawler may connect: one value handed to every fetcher, proxy and check.

    A public address is allowed on ``allowed_ports``; a non-public one only when
    ``allow_private`` is set or it lies in ``allow_networks`` (then on any port: the operator
    chose that host, as the tests do with 127.0.0.1 on a random port). ``resolver`` answers
    like ``socket.getaddrinfo`` (tests pass :func:`static_resolver`).
    """

    allow_private: bool = False
    allow_networks: tuple[IPNetwork, ...] = ()
    resolver: Resolver | None = None
    allowed_ports: frozenset[int] = WEB_PORTS

    @classmethod
    def build(cls, *, allow_private: bool = False,
              allow_networks: Iterable[str | IPNetwork] = (),
              resolver: Resolver | None = None,
              allowed_ports: Iterable[int] = WEB_PORTS) -> EgressPolicy:
        """A policy from loose settings (network strings, any iterable of ports)."""
        return cls(allow_private=allow_private, allow_networks=_parse_networks(allow_networks),
                   resolver=resolver, allowed_ports=frozenset(allowed_ports))

    def allows_address(self, addr: str | IPAddress) -> bool:
        """The address may be connected to (ports aside)."""
        return _allowed(as_ip(addr), self.allow_private, self.allow_networks)

    def check_host(self, host: str, port: int) -> tuple[str, ...]:
        """Resolve a wire host and approve every address and the port, or raise.

        The addresses returned are the ones a connection must use (pinning): resolving again
        at connect time could give another answer.
        """
        try:
            addrs: tuple[IPAddress, ...] = (ipaddress.ip_address(host),)
        except ValueError:
            addrs = _resolve(host, port, self.resolver or socket.getaddrinfo)
        for addr in addrs:
            shown = host if str(addr) == host else f"{host} ({addr})"
            if not _allowed(addr, self.allow_private, self.allow_networks):
                raise AddressRefused(f"{shown} is not a public address")
            if port not in self.allowed_ports and is_public_ip(addr):
                raise BadUrl(f"port {port} of {shown} is not a web port")
        return tuple(str(a) for a in addrs)

    def guard_url(self, url: str) -> CheckedUrl:
        """Validate and resolve ``url``; every address it resolves to must be allowed."""
        parsed = _parse(url)
        ips = self.check_host(parsed.host, parsed.port)
        return CheckedUrl(url=str(parsed.url), host=parsed.host, port=parsed.port, ips=ips)

    def check_url(self, url: str) -> str:
        """Validate ``url`` and return the approved IP to connect to (raises a GuardError)."""
        return self.guard_url(url).ip


def static_resolver(mapping: Mapping[str, str | Sequence[str]]) -> Resolver:
    """A getaddrinfo look-alike answering from a dict, for tests and fixtures.

    Unknown names fail like a real NXDOMAIN (``socket.gaierror``).
    """
    table = {
        name.lower().rstrip("."): (value,) if isinstance(value, str) else tuple(value)
        for name, value in mapping.items()
    }

    def resolve(
        host: str, port: int | str | None, family: int = 0, type: int = 0, *args: Any
    ) -> list[tuple[Any, ...]]:
        ips = table.get(host.lower().rstrip("."))
        if not ips:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out: list[tuple[Any, ...]] = []
        for ip in ips:
            number = int(port or 0)
            if ":" in ip:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (ip, number, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, number)))
        return out

    return resolve


class GuardedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that connects only to approved addresses.

    The fetcher pins the addresses it checked before sending; a connection for a host
    without a pin (another thread took it, or a client used directly) is checked here
    again, so no socket is ever opened to an address the policy refuses.
    """

    _MAX_PINS = 512

    def __init__(self, policy: EgressPolicy) -> None:
        self.policy = policy
        self._inner = httpcore.SyncBackend()
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._lock = threading.Lock()

    def pin(self, checked: CheckedUrl) -> None:
        """Remember the approved addresses for the next connection to this host and port."""
        with self._lock:
            if len(self._pins) >= self._MAX_PINS:
                self._pins.clear()
            self._pins[(checked.host, checked.port)] = checked.ips

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        with self._lock:
            ips = self._pins.pop((host, port), None)
        if ips is None:
            ips = self.policy.check_host(host, port)
        last: Exception | None = None
        for ip in ips:
            try:
                return self._inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used by the crawler")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport with the connection pool swapped for one on a GuardedBackend.

    Subclassing (rather than writing a transport) keeps ``HTTPTransport.handle_request``,
    which is what vcrpy patches, so cassettes record and replay through it. Proxies from
    the environment are ignored: a proxy would connect on our behalf, past the guard.
    """

    def __init__(
        self,
        backend: GuardedBackend,
        *,
        verify: bool = True,
        limits: httpx.Limits | None = None,
    ) -> None:
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(verify=verify, trust_env=False, limits=limits)
        self.backend = backend
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend,
        )
