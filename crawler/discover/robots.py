"""robots.txt and sitemaps: what a site lets us fetch, and the pages it lists itself.

robots.txt is read with Protego, the parser Scrapy's own robots middleware uses, for the
crawler's user agent, so ``xktracker discover`` and ``scrapy crawl discover`` obey the same
rules. Sitemaps are hostile XML like any input: parsed without entities, DTDs or network
access, a bounded number of files and of URLs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree
from protego import Protego

MAX_SITEMAP_URLS = 20_000  # per file read; a site's own list of its pages, not a crawl frontier
MAX_SITEMAP_FILES = 4  # robots.txt's sitemaps and the indexes they name, in all

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, recover=True)


@dataclass(slots=True)
class Robots:
    """A site's robots.txt as far as discovery needs it (everything allowed without one)."""

    user_agent: str
    parser: Protego | None = None
    sitemaps: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str | None, user_agent: str) -> Robots:
        if not text:
            return cls(user_agent)
        parser = Protego.parse(text)
        return cls(user_agent, parser, [s.strip() for s in parser.sitemaps if s.strip()])

    def allowed(self, url: str) -> bool:
        return self.parser is None or bool(self.parser.can_fetch(url, self.user_agent))

    def delay(self) -> float | None:
        """The ``Crawl-delay`` asked of us, if any."""
        if self.parser is None:
            return None
        value = self.parser.crawl_delay(self.user_agent)
        return float(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class Sitemap:
    """One sitemap file read: the page URLs it lists and the sitemaps it points to."""

    pages: tuple[str, ...]
    sitemaps: tuple[str, ...]


def _locs(root: etree._Element, parent: str) -> Iterator[str]:
    for el in root.iter():
        if not isinstance(el.tag, str) or etree.QName(el).localname != parent:
            continue
        for child in el:
            if isinstance(child.tag, str) and etree.QName(child).localname == "loc":
                value = (child.text or "").strip()
                if value:
                    yield value


def read_sitemap(text: str) -> Sitemap:
    """The ``<url><loc>`` and ``<sitemap><loc>`` entries of a sitemap or sitemap index; a
    plain-text sitemap (one URL a line) is read too."""
    head = text.lstrip()[:200]
    if not head.startswith("<"):
        lines = [line.strip() for line in text.splitlines()
                 if line.strip().startswith(("http://", "https://"))]
        return Sitemap(tuple(lines[:MAX_SITEMAP_URLS]), ())
    try:
        root = etree.fromstring(text.encode("utf-8"), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return Sitemap((), ())
    if root is None:
        return Sitemap((), ())
    pages: list[str] = []
    for loc in _locs(root, "url"):
        pages.append(loc)
        if len(pages) >= MAX_SITEMAP_URLS:
            break
    nested = list(_locs(root, "sitemap"))[:50]
    return Sitemap(tuple(pages), tuple(nested))
