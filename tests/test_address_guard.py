"""The address guard: which URLs the crawler may connect to, and to which address.

Names are answered by a fake resolver, so nothing here touches DNS or the network.
"""

from __future__ import annotations

import socket
from typing import Any

import httpcore
import pytest

from crawler.errors import AddressRefused, BadUrl, GuardError, ResolveFailed
from crawler.fetch.guard import (
    EgressPolicy,
    GuardedBackend,
    is_public_ip,
    static_resolver,
    validate_url,
)

PUBLIC_V4 = "93.184.215.14"
PUBLIC_V6 = "2606:2800:21f:cb07:6820:80da:af6b:8b2c"

RESOLVER = static_resolver({
    "public.test": PUBLIC_V4,
    "xn--bcher-kva.test": PUBLIC_V4,
    "dual.test": [PUBLIC_V4, PUBLIC_V6],
    "v6.test": PUBLIC_V6,
    "private.test": "10.1.2.3",
    "mixed.test": [PUBLIC_V4, "192.168.1.5"],
    "v6private.test": "fd00::1",
    "metadata.test": "169.254.169.254",
    "mapped.test": "::ffff:127.0.0.1",
    "cgnat.test": "100.100.1.1",
    "localhost": PUBLIC_V4,  # a lying resolver must not make localhost public
})

OK = "ok"
CASES: list[tuple[str, str, str | None]] = [
    # (url, expected: ok | private_address | bad_url | dns, IP for ok)
    ("http://public.test/", OK, PUBLIC_V4),
    ("https://public.test:443/path?q=1#frag", OK, PUBLIC_V4),
    ("https://public.test:8443/path", "bad_url", None),  # not a web port on a public host
    ("http://public.test:6379/", "bad_url", None),
    ("http://public.test:22/", "bad_url", None),
    ("HTTP://PUBLIC.TEST./", OK, PUBLIC_V4),
    ("http://Bücher.test/", OK, PUBLIC_V4),
    ("http://dual.test/", OK, PUBLIC_V4),
    ("http://v6.test/", OK, PUBLIC_V6),
    (f"http://{PUBLIC_V4}/", OK, PUBLIC_V4),
    ("http://[2606:4700:4700::1111]/", OK, "2606:4700:4700::1111"),
    ("http://[::ffff:8.8.8.8]/", OK, "::ffff:808:808"),
    ("http://127.0.0.1/", "private_address", None),
    ("http://127.0.0.1:8080/admin", "private_address", None),
    ("http://localhost/", "private_address", None),
    ("http://api.localhost/", "private_address", None),
    ("http://2130706433/", "private_address", None),
    ("http://0x7f.1/", "private_address", None),
    ("http://0x7f000001/", "private_address", None),
    ("http://127.1/", "private_address", None),
    ("http://017700000001/", "private_address", None),
    ("http://0/", "private_address", None),
    ("http://0.0.0.0/", "private_address", None),
    ("http://10.0.0.1/", "private_address", None),
    ("http://172.16.5.4/", "private_address", None),
    ("http://192.168.0.1/", "private_address", None),
    ("http://169.254.169.254/latest/meta-data/", "private_address", None),
    ("http://100.64.0.1/", "private_address", None),
    ("http://198.18.0.1/", "private_address", None),
    ("http://224.0.0.1/", "private_address", None),
    ("http://255.255.255.255/", "private_address", None),
    ("http://[::1]/", "private_address", None),
    ("http://[::]/", "private_address", None),
    ("http://[::ffff:127.0.0.1]/", "private_address", None),
    ("http://[::ffff:7f00:1]/", "private_address", None),
    ("http://[::ffff:10.0.0.1]/", "private_address", None),
    ("http://[2002:7f00:1::]/", "private_address", None),
    ("http://[2002:a00:1::1]/", "private_address", None),
    ("http://[64:ff9b::a00:1]/", "private_address", None),
    ("http://[fe80::1]/", "private_address", None),
    ("http://[fd12:3456::1]/", "private_address", None),
    ("http://[fec0::1]/", "private_address", None),
    ("http://[ff02::1]/", "private_address", None),
    ("http://private.test/", "private_address", None),
    ("http://mixed.test/", "private_address", None),
    ("http://v6private.test/", "private_address", None),
    ("http://metadata.test/", "private_address", None),
    ("http://mapped.test/", "private_address", None),
    ("http://cgnat.test/", "private_address", None),
    ("ftp://public.test/", "bad_url", None),
    ("file:///etc/passwd", "bad_url", None),
    ("javascript:alert(1)", "bad_url", None),
    ("//public.test/", "bad_url", None),
    ("", "bad_url", None),
    ("http://user:secret@public.test/", "bad_url", None),
    ("http://user@public.test/", "bad_url", None),
    ("http://public.test:0/", "bad_url", None),
    ("http://public.test:65536/", "bad_url", None),
    ("http:///path", "bad_url", None),
    ("http://public.test/" + "a" * 2100, "bad_url", None),
    ("http://1.2.3.999/", "bad_url", None),
    ("http://1.2.3.4.5/", "bad_url", None),
    ("http://example.123/", "bad_url", None),
    ("http://0177.0.0.1/", "bad_url", None),
    ("http://exa mple.test/", "bad_url", None),
    ("http://public.test\x00.evil/", "bad_url", None),
    ("http://%31%32%37.0.0.1/", "bad_url", None),
    ("http://[fe80::1%25eth0]/", "bad_url", None),
    ("http://nxdomain.test/", "dns", None),
]


@pytest.mark.parametrize(("url", "expected", "ip"), CASES)
def test_guard_table(url: str, expected: str, ip: str | None) -> None:
    if expected == OK:
        assert EgressPolicy.build(allow_private=False, resolver=RESOLVER).check_url(url) == ip
        return
    with pytest.raises(GuardError) as caught:
        EgressPolicy.build(allow_private=False, resolver=RESOLVER).check_url(url)
    assert caught.value.reason == expected
    kind = {"private_address": AddressRefused, "bad_url": BadUrl, "dns": ResolveFailed}[expected]
    assert isinstance(caught.value, kind)


def test_table_is_big_enough() -> None:
    assert len(CASES) >= 25
    assert sum(1 for _, e, _ in CASES if e == OK) >= 5


def test_literal_forms_are_rewritten_to_the_address_connected() -> None:
    checked = EgressPolicy.build(allow_private=True, resolver=RESOLVER).guard_url(
        "http://0x7f.1:8000/x#top")
    assert checked.url == "http://127.0.0.1:8000/x"
    assert (checked.host, checked.port, checked.ips) == ("127.0.0.1", 8000, ("127.0.0.1",))
    assert validate_url("http://Bücher.test/a b") == "http://xn--bcher-kva.test/a%20b"


def test_allow_private_lets_local_addresses_through_but_not_nonsense() -> None:
    assert EgressPolicy.build(allow_private=True).check_url("http://127.0.0.1/") == "127.0.0.1"
    widened = EgressPolicy.build(allow_private=True, resolver=RESOLVER)
    assert widened.check_url("http://private.test/") == "10.1.2.3"
    for url in ("http://0.0.0.0/", "http://224.0.0.1/"):
        with pytest.raises(AddressRefused):
            EgressPolicy.build(allow_private=True).check_url(url)
    with pytest.raises(BadUrl):
        EgressPolicy.build(allow_private=True).check_url("http://user:pw@127.0.0.1/")


def test_ports_are_web_ports_on_public_hosts_only() -> None:
    strict = EgressPolicy.build(resolver=RESOLVER)
    with pytest.raises(BadUrl, match="not a web port"):
        strict.check_host("public.test", 6379)
    assert strict.check_host("public.test", 443) == (PUBLIC_V4,)
    wider = EgressPolicy.build(resolver=RESOLVER, allowed_ports=[80, 443, 8443])
    assert wider.check_url("https://public.test:8443/") == PUBLIC_V4
    # A host the operator let through (a local test web) may use any port.
    local = EgressPolicy.build(allow_networks=["127.0.0.1/32"])
    assert local.check_url("http://127.0.0.1:6379/") == "127.0.0.1"


def test_allow_networks_is_narrow() -> None:
    policy = EgressPolicy.build(allow_networks=["127.0.0.1/32"])
    assert policy.check_url("http://127.0.0.1:5000/") == "127.0.0.1"
    with pytest.raises(AddressRefused):
        policy.check_url("http://10.0.0.1/")


def test_literals_do_not_ask_the_resolver() -> None:
    def no_dns(*args: Any) -> list[tuple[Any, ...]]:
        raise AssertionError("resolver called for an IP literal")

    policy = EgressPolicy.build(resolver=no_dns)
    assert policy.check_url(f"http://{PUBLIC_V4}/") == PUBLIC_V4
    with pytest.raises(AddressRefused):
        policy.check_url("http://localhost/")


@pytest.mark.parametrize(
    ("ip", "public"),
    [
        ("8.8.8.8", True),
        ("1.1.1.1", True),
        ("2606:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("10.255.255.255", False),
        ("100.64.0.1", False),
        ("169.254.1.1", False),
        ("192.0.2.1", False),
        ("203.0.113.9", False),
        ("::ffff:192.168.1.1", False),
        ("64:ff9b::7f00:1", False),
        ("64:ff9b:1::1", False),
        ("2001:db8::1", False),
        ("2001::1", False),
        ("fe80::1%eth0", False),
    ],
)
def test_is_public_ip(ip: str, public: bool) -> None:
    assert is_public_ip(ip) is public


def test_static_resolver_behaves_like_getaddrinfo() -> None:
    infos = RESOLVER("dual.test", 443, 0, socket.SOCK_STREAM)
    assert [info[4][0] for info in infos] == [PUBLIC_V4, PUBLIC_V6]
    assert infos[0][0] == socket.AF_INET and infos[1][0] == socket.AF_INET6
    with pytest.raises(socket.gaierror):
        RESOLVER("nxdomain.test", 80, 0, socket.SOCK_STREAM)


def test_backend_checks_hosts_it_was_not_told_about(monkeypatch: pytest.MonkeyPatch) -> None:
    """A connection without a pin is judged at connect time; no socket is opened."""

    def no_socket(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "create_connection", no_socket)
    backend = GuardedBackend(EgressPolicy.build(resolver=RESOLVER))
    with pytest.raises(AddressRefused):
        backend.connect_tcp("private.test", 80, timeout=1)
    with pytest.raises(httpcore.ConnectError):
        backend.connect_unix_socket("/var/run/docker.sock")


def test_backend_uses_the_pinned_address(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[tuple[str, int]] = []

    def fake_connect(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        opened.append(address)
        raise ConnectionRefusedError("test")

    monkeypatch.setattr(socket, "create_connection", fake_connect)
    policy = EgressPolicy.build(resolver=RESOLVER)
    backend = GuardedBackend(policy)
    backend.pin(policy.guard_url("http://dual.test/"))
    with pytest.raises(httpcore.ConnectError):
        backend.connect_tcp("dual.test", 80, timeout=1)
    assert opened == [(PUBLIC_V4, 80), (PUBLIC_V6, 80)]


@pytest.mark.parametrize("ip", ["127.0.0.1", "10.0.0.1", "100.64.0.1", "198.18.0.1", "0.0.0.0",
                                "::1", "::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::",
                                "fd12:3456::1", "fec0::1", "169.254.169.254"])
def test_the_catalog_calls_the_same_addresses_private_as_the_guard(ip: str) -> None:
    from foundation.addresses import host_problem

    assert not is_public_ip(ip)
    assert host_problem(ip, allow_private=False) is not None
    assert host_problem(ip, allow_private=True) is None
    assert host_problem(PUBLIC_V4, allow_private=False) is None


@pytest.mark.parametrize(("host", "address"), [("127.1", "127.0.0.1"),
                                               ("0177.0.0.1", "127.0.0.1"),
                                               ("0x7f.0.0.1", "127.0.0.1"),
                                               ("2130706433", "127.0.0.1"),
                                               ("10.1.2", "10.1.0.2"),
                                               ("0xa9.254.169.254", "169.254.169.254")])
def test_the_catalog_reads_legacy_ipv4_spellings_as_the_guard_does(host: str,
                                                                   address: str) -> None:
    """What a resolver would make of a numeric host is what both judge (one rule)."""
    from foundation.addresses import host_problem, legacy_ipv4

    assert str(legacy_ipv4(host)) == address
    with pytest.raises((AddressRefused, BadUrl)):  # httpx itself refuses some spellings
        EgressPolicy().guard_url(f"http://{host}/")
    assert host_problem(host, allow_private=False) is not None
    assert host_problem(host, allow_private=True) is None


@pytest.mark.parametrize("host", ["1.2.3.4.5", "example.123", "256.1.1.1", "0x1g.1"])
def test_a_numeric_host_that_is_no_address_is_invalid_for_both(host: str) -> None:
    from foundation.addresses import host_problem

    assert host_problem(host, allow_private=True) is not None
    with pytest.raises(BadUrl):
        EgressPolicy(allow_private=True).guard_url(f"http://{host}/")


def test_a_public_legacy_spelling_is_judged_as_its_address() -> None:
    from foundation.addresses import host_problem

    assert host_problem("8.8.2056", allow_private=False) is None  # 8.8.8.8
