"""Which URLs belong to a site: its registrable domain, and URLs put in one canonical form.

Discovery never leaves the site it was started on. A site is its *registrable domain* (one
label under a public suffix: ``amazon.co.uk``, ``foo.github.io``), read from the Public Suffix
List snapshot that tldextract ships (no network fetch, ever). A name under no known suffix
(``shop.localhost``, ``alba.test``) follows the list's own default rule, "*": its last label is
the suffix. An IP address is a site of its own.
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import tldextract

# The bundled snapshot only: an empty URL list means tldextract never goes to the network,
# and no cache directory means it never writes one.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None,
                                 include_psl_private_domains=True)

# Query parameters that only track a visit; dropped so one page is one URL.
_TRACKING = re.compile(r"^(utm_\w+|gclid|fbclid|msclkid|mc_[ce]id|_ga|_gl|yclid|igshid|ref_?)$",
                       re.IGNORECASE)
# A leading locale segment (/en/, /en-us/, /de_DE/, /sr-latn/): pages that differ only by it are
# one form in several languages.
_LOCALE_SEGMENT = re.compile(r"^/([a-z]{2,3}(?:[-_][a-z]{2,4})?)(?=/|$)", re.IGNORECASE)
_LOCALE_PARAMS = frozenset({"lang", "language", "locale", "hl", "lc", "lng"})
_SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "whatsapp:", "blob:",
                    "about:", "file:", "ftp:", "intent:", "fb:", "viber:", "skype:")


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """The site a host belongs to (``www.shop.example.co.uk`` → ``example.co.uk``)."""
    host = host.strip().lower().rstrip(".").strip("[]")
    if not host:
        return ""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    parts = _EXTRACT(host)
    if parts.suffix:
        return parts.top_domain_under_public_suffix or host
    labels = host.split(".")
    return ".".join(labels[-2:])


def site_of(url: str) -> str:
    """The registrable domain of a URL's host ('' for a URL without one)."""
    return registrable_domain(urlsplit(url).hostname or "")


def same_site(url: str, site: str) -> bool:
    return bool(site) and site_of(url) == site


def absolute(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``, as an http(s) URL, or ``None`` (mailto:, #top …)."""
    href = (href or "").strip()
    if not href or href.startswith("#") or href.lower().startswith(_SKIPPED_SCHEMES):
        return None
    try:
        joined = urljoin(base, href)
        parts = urlsplit(joined)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return normalise(joined)


def normalise(url: str) -> str:
    """One spelling per page: lower-case host, no fragment, no default port, no tracking
    parameters, parameters in a stable order."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    if port is not None and not ((parts.scheme == "http" and port == 80)
                                 or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def language_neutral(url: str) -> str:
    """The URL without its locale (path segment or parameter): the key under which the same
    form in another language is recognised as the same form."""
    parts = urlsplit(url)
    path = _LOCALE_SEGMENT.sub("", parts.path) or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k.lower() not in _LOCALE_PARAMS])
    host = (parts.hostname or "").removeprefix("www.")
    return urlunsplit(("", host, path.rstrip("/") or "/", query, ""))


def origin_root(url: str) -> str:
    """``scheme://host[:port]/`` of a URL."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))

