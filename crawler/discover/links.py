"""What a page offers to go further: links, buttons that open something, language alternates.

Read from the document a fetch returned (the raw HTML, or the DOM a browser drew), in document
order. An account menu behind a hover or inside a ``<details>``, a dropdown or a ``<dialog>``
is in the document already: its links are read like any other, with the place they stand in
(header, navigation, menu, footer) kept for ranking. A button is an *action* only when it
opens something that is not in the document yet (a dialog or a menu a script draws on click);
it is never a form's submit button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote, urlsplit

from lxml import etree

from checks.dom import Element, text_of
from checks.extract import parse
from crawler.discover.site import absolute
from crawler.discover.words import fold

MAX_LINKS = 3000  # a page with more (a sitemap page, a mega-menu) is read up to here
MAX_TEXT = 200

_DISCLOSURE_ATTRS = ("aria-haspopup", "aria-expanded", "aria-controls", "data-toggle",
                     "data-bs-toggle", "data-target", "data-bs-target", "popovertarget",
                     "data-modal", "data-open", "data-dialog")
_TARGET_ATTRS = ("aria-controls", "popovertarget", "data-target", "data-bs-target",
                 "data-modal", "data-open", "data-dialog")
_MENU_WORDS = re.compile(r"menu|account|user|profile|dropdown|flyout|popover|drawer|modal",
                         re.IGNORECASE)
_HEADER_WORDS = re.compile(r"(^|[-_\s])(header|masthead|topbar|top-bar|navbar|nav)([-_\s]|$)",
                           re.IGNORECASE)
_FOOTER_WORDS = re.compile(r"(^|[-_\s])footer([-_\s]|$)", re.IGNORECASE)
_CLICKABLE = etree.XPath(
    "//a | //area | //button | //summary | //*[@role='button' or @role='menuitem' or "
    "@role='link' or @role='tab']")
_ALTERNATES = etree.XPath("//link[@hreflang][@href] | //a[@hreflang][@href]")
_FRAMEWORK_ROOT = etree.XPath(
    "//*[@id='root' or @id='app' or @id='__next' or @id='__nuxt' or @id='svelte'"
    " or @data-reactroot or @ng-version or @data-v-app] | //app-root")
_WORD_SPLIT = re.compile(r"[^\w]+|_", re.UNICODE)
_HEADINGS = etree.XPath("//h1 | //h2 | //legend | //dialog//h3")


@dataclass(frozen=True, slots=True)
class Place:
    """Where on the page an element stands."""

    header: bool = False
    footer: bool = False
    menu: bool = False  # an account menu, a dropdown, a <details>, a dialog
    main: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    text: str  # what a person reads or hears: text, aria-label, title, image alt
    place: Place
    order: int
    labels: tuple[str, ...] = ()  # the same, piece by piece (each is judged on its own)


@dataclass(frozen=True, slots=True)
class Action:
    """A button to click in the browser: it opens something the document does not hold yet."""

    selector: str  # a Playwright selector, in the catalog's step format ({click: …})
    text: str
    place: Place
    order: int
    labels: tuple[str, ...] = ()


@dataclass(slots=True)
class PageLinks:
    base: str
    links: list[Link] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (language, url)
    # The page draws its navigation with a script: a framework root, or navigation landmarks
    # left empty while scripts run. The browser is then the only way to see its links.
    scripted: bool = False
    lang: str | None = None
    headings: list[str] = field(default_factory=list)  # title, h1, h2, legend: what it is


def _squash(text: str) -> str:
    return " ".join(text.split())


def _labels(el: Element) -> tuple[str, ...]:
    """Everything a link says about itself, once each: text, aria-label, title, image alt."""
    pieces: list[str] = []
    for piece in (text_of(el), el.get("aria-label") or "", el.get("title") or "",
                  *[str(a) for a in el.xpath(".//img/@alt | .//*[@aria-label]/@aria-label")]):
        piece = _squash(piece)[:MAX_TEXT]
        if piece and piece not in pieces:
            pieces.append(piece)
    return tuple(pieces[:6])


def _label(el: Element) -> str:
    return " ".join(_labels(el))[:MAX_TEXT]


def _classes(el: Element) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}"


def _place(el: Element, cache: dict[Element, Place]) -> Place:
    """The landmarks around ``el``, found by walking up once per ancestor (memoised)."""
    chain: list[Element] = []
    node: Element | None = el.getparent()
    found: Place | None = None
    while node is not None:
        if node in cache:
            found = cache[node]
            break
        chain.append(node)
        node = node.getparent()
    place = found or Place()
    for ancestor in reversed(chain):
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        role = (ancestor.get("role") or "").lower()
        names = _classes(ancestor)
        header = place.header or tag == "header" or role == "banner" or bool(
            _HEADER_WORDS.search(names)) or (tag == "nav" and not place.footer)
        footer = place.footer or tag == "footer" or role == "contentinfo" or bool(
            _FOOTER_WORDS.search(names))
        menu = place.menu or tag in ("details", "dialog", "menu") or role in (
            "menu", "menubar", "dialog", "listbox") or bool(_MENU_WORDS.search(names))
        main = place.main or tag in ("main", "article") or role == "main"
        place = Place(header=header and not footer, footer=footer, menu=menu, main=main)
        cache[ancestor] = place
    return place


def _in_form_submit(el: Element) -> bool:
    """A control that would submit a form: a submit button, or a button whose type is not
    ``button``/``reset`` inside a form (HTML's default type is submit)."""
    tag = el.tag
    kind = (el.get("type") or "").lower()
    if tag == "input":
        return kind in ("submit", "image")
    if tag != "button":
        return False
    if kind in ("button", "reset"):
        return False
    if kind == "submit" or el.get("form"):
        return True
    return any(a.tag == "form" for a in el.iterancestors())


def _css_escape(value: str) -> str:
    return re.sub(r"([^\w-])", r"\\\1", value)


def _selector(el: Element, text: str, ids: dict[str, int]) -> str | None:
    """A Playwright selector that names ``el`` alone: its id, a unique attribute, or its tag
    with its text (``button:has-text("Create account")``)."""
    ident = el.get("id")
    if ident and ids.get(ident) == 1 and len(ident) <= 100:
        return f"#{_css_escape(ident)}"
    tag = el.tag if isinstance(el.tag, str) else "*"
    for attr in ("data-testid", "data-test", "aria-controls", "popovertarget", "data-target",
                 "data-bs-target", "name"):
        value = el.get(attr)
        if value and len(value) <= 100 and '"' not in value:
            return f'{tag}[{attr}="{value}"]'
    label = _squash(text_of(el)) or el.get("aria-label") or ""
    label = label[:60]
    if not label or '"' in label:
        return None
    return f'{tag}:has-text("{label}")'


def _disclosed(el: Element, root: Element, ids: set[str]) -> bool:
    """True when what the control opens is already in the document, with content."""
    if el.tag == "summary":
        details = el.getparent()
        return details is not None and len(_squash(text_of(details))) > len(
            _squash(text_of(el))) + 2
    for attr in _TARGET_ATTRS:
        ref = (el.get(attr) or "").strip().lstrip("#")
        if ref and ref in ids:
            target = root.xpath("//*[@id=$i]", i=ref)
            if target and (len(_squash(text_of(target[0]))) > 2
                           or target[0].xpath(".//a|.//select|.//input")):
                return True
    href = (el.get("href") or "").strip()
    if href.startswith("#") and len(href) > 1 and href[1:] in ids:
        return True
    return False


def _is_disclosure(el: Element) -> bool:
    if el.tag == "summary":
        return True
    if any(el.get(a) is not None for a in _DISCLOSURE_ATTRS):
        return True
    href = (el.get("href") or "").strip().lower()
    return el.tag == "a" and (href.startswith("#") or href.startswith("javascript:"))


def _scripted(root: Element) -> bool:
    """Navigation drawn by a script: a framework root holding almost nothing, or navigation
    landmarks without a single link while the page runs scripts."""
    if root.find(".//script") is None:
        return False
    for el in _FRAMEWORK_ROOT(root):
        if len(el) <= 3 and len(_squash(text_of(el))) < 200:
            return True
    landmarks = root.xpath("//nav | //header | //*[@role='navigation']")
    if landmarks and not any(lm.xpath(".//a[@href]") for lm in landmarks):
        return True
    body = root.find("body")
    return body is not None and not body.xpath(".//a[@href]")


def page_links(html: str, url: str) -> PageLinks:
    """Links, actions and alternates of one document, resolved against its URL (or its
    ``<base href>``); hostile input is only read, never followed here."""
    doc = parse(html)
    out = PageLinks(base=url)
    if doc is None:
        return out
    root = doc.root
    base_el = root.find(".//base[@href]")
    if base_el is not None:
        out.base = absolute(url, base_el.get("href") or "") or url
    html_el = root if root.tag == "html" else root.find(".//html")
    if html_el is not None and html_el.get("lang"):
        out.lang = (html_el.get("lang") or "").strip().lower()[:20] or None
    out.scripted = _scripted(root)
    out.headings = [h for h in ([doc.title or ""] + [_squash(text_of(el))[:MAX_TEXT]
                                                    for el in _HEADINGS(root)[:12]]) if h]
    id_counts: dict[str, int] = {}
    for value in root.xpath("//@id"):
        id_counts[str(value)] = id_counts.get(str(value), 0) + 1
    ids = set(id_counts)
    cache: dict[Element, Place] = {}
    seen: set[str] = set()
    for order, el in enumerate(_CLICKABLE(root)):
        if len(out.links) >= MAX_LINKS:
            break
        if el.tag in ("a", "area") and el.get("href") is not None:
            target = absolute(out.base, el.get("href") or "")
            if target is None:
                if _is_disclosure(el):
                    _add_action(out, el, root, ids, id_counts, order, cache)
                continue
            if el.get("download") is not None:
                continue
            labels = _labels(el)
            text = " ".join(labels)[:MAX_TEXT]
            key = f"{target}\n{text}"
            if key in seen:
                continue
            seen.add(key)
            out.links.append(Link(url=target, text=text, place=_place(el, cache), order=order,
                                  labels=labels))
        elif _is_disclosure(el) or el.tag == "button":
            _add_action(out, el, root, ids, id_counts, order, cache)
    for el in _ALTERNATES(root):
        lang = (el.get("hreflang") or "").strip().lower()[:20]
        target = absolute(out.base, el.get("href") or "")
        if lang and target and (lang, target) not in out.alternates:
            out.alternates.append((lang, target))
    return out


def _add_action(out: PageLinks, el: Element, root: Element, ids: set[str],
                id_counts: dict[str, int], order: int, cache: dict[Element, Place]) -> None:
    if _in_form_submit(el) or el.get("disabled") is not None:
        return
    if not _is_disclosure(el) or _disclosed(el, root, ids):
        return  # a plain button does something we cannot see coming; what opens is read
    labels = _labels(el)
    text = " ".join(labels)[:MAX_TEXT]
    selector = _selector(el, text, id_counts)
    if selector is None or not text:
        return
    out.actions.append(Action(selector=selector, text=text, place=_place(el, cache),
                              order=order, labels=labels))


def url_segments(url: str) -> tuple[tuple[str, ...], ...]:
    """The words of each segment of a URL's path, then of each query key and value
    (``/de/Konto/neukunde.html?step=2`` → (de,) (konto,) (neukunde,) (step,) (2,)),
    percent-decoded so that ``/регистрация`` reads as a word. A slug is matched segment by
    segment, never word by word: ``/products/leather-bag`` is not a shopping bag."""
    parts = urlsplit(url)
    segments: list[str] = [s for s in unquote(parts.path).split("/") if s]
    if segments:
        segments[-1] = re.sub(r"\.(html?|php|aspx?|jsp|cfm)$", "", segments[-1], flags=re.I)
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        segments.extend((key, value))
    out: list[tuple[str, ...]] = []
    for segment in segments[:20]:
        spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", segment)
        words = tuple(fold(" ".join(w for w in _WORD_SPLIT.split(spaced) if w)))
        if words:
            out.append(words[:12])
    return tuple(out)
