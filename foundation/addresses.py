"""Which addresses are on the public Internet, and which host names look public.

Shared by the address guard (crawler.fetch.guard, which also resolves names) and the catalog's
checks of hosts and links (db.catalog_values, which never resolves): both call an address
public by the same rules.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Ranges that are not public but that some Python versions do not flag (or flag differently).
EXTRA_NON_PUBLIC: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598)
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "240.0.0.0/4",  # reserved, includes 255.255.255.255
        "64:ff9b:1::/48",  # local-use NAT64 (RFC 8215)
        "fc00::/7",  # unique local
        "fec0::/10",  # deprecated site-local, still routed inside some networks
        "2001::/23",  # IETF protocol assignments, incl. Teredo (client address is obscured)
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, since that is where packets really go."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def as_ip(ip: str | IPAddress) -> IPAddress:
    return ipaddress.ip_address(ip) if isinstance(ip, str) else ip


def is_public_ip(ip: str | IPAddress) -> bool:
    """True only for a unicast address on the public Internet.

    Checked flag by flag (not just ``is_global``) because the flags' meaning has changed
    between Python releases; IPv6 forms that embed an IPv4 address are judged by it.
    """
    addr = as_ip(ip)
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id:
            return False
        inner = embedded_ipv4(addr)
        if inner is not None:
            return is_public_ip(inner)
        if addr.is_site_local:
            return False
    if (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    ):
        return False
    if any(addr.version == net.version and addr in net for net in EXTRA_NON_PUBLIC):
        return False
    return addr.is_global


_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


def legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address of a host in an inet_aton form (``2130706433``, ``0x7f.1``, ``127.1``,
    ``0177.0.0.1``) an OS resolver accepts; ``None`` for a host name; ``ValueError`` when it
    is neither.

    A host whose last label is a number is an IPv4 address or invalid (as in the WHATWG URL
    standard): letting the system resolver interpret it would bypass a check of its form.
    """
    labels = host.lower().split(".")
    if labels and labels[-1] == "":
        labels.pop()
    if not labels or not _NUMERIC_LABEL.fullmatch(labels[-1]):
        return None
    if len(labels) > 4:
        raise ValueError(f"not a valid IPv4 address: {host!r}")
    numbers: list[int] = []
    for label in labels:
        if not _NUMERIC_LABEL.fullmatch(label):
            raise ValueError(f"not a valid IPv4 address: {host!r}")
        try:
            if label[:2] == "0x":
                numbers.append(int(label[2:] or "0", 16))
            elif len(label) > 1 and label.startswith("0"):
                numbers.append(int(label, 8))
            else:
                numbers.append(int(label))
        except ValueError:
            raise ValueError(f"not a valid IPv4 address: {host!r}") from None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        raise ValueError(f"not a valid IPv4 address: {host!r}")
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return ipaddress.IPv4Address(value)


_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
# Names that never lead to the public Internet, whatever a resolver says.
_PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa")


def _is_private_name(host: str) -> bool:
    return host == "localhost" or host.endswith(_PRIVATE_SUFFIXES) or "." not in host


def host_problem(host: str, allow_private: bool) -> str | None:
    """Why ``host`` is not a public-looking host (judged by its form, never resolved), or None.

    A host ending in a numeric label is judged as the IPv4 address a resolver would make of
    it (``127.1`` is loopback), or refused when it makes none.
    """
    address: IPAddress | None
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        try:
            address = legacy_ipv4(host)
        except ValueError:
            return f"{host!r} is not a valid host name or IPv4 address"
    if address is not None:
        if allow_private or is_public_ip(address):
            return None
        return f"{host} is a private, loopback or reserved address"
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return f"{host!r} is not a valid host name"
    if not all(_LABEL.fullmatch(label) for label in ascii_host.split(".")):
        return f"{host!r} is not a valid host name"
    if not allow_private and _is_private_name(ascii_host):
        return f"{host} is not a public host name"
    return None


def url_problem(url: str, allow_private: bool) -> str | None:
    """Why ``url`` is not an http(s) URL of a public-looking host, or None."""
    if any(c.isspace() for c in url):
        return f"{url!r} contains white space"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"{url!r} is not an http(s) URL"
    if "@" in parts.netloc:
        return f"{url!r} has a user name or password in it"
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return f"{url!r} has an invalid port"
    if not parts.hostname:
        return f"{url!r} has no host"
    return host_problem(parts.hostname, allow_private)
