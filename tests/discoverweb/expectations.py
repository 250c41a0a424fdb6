"""What discovery must report on each test site, read from the sites themselves.

A page says what it holds in ``<meta>`` tags, as the demo web's pages do:

``xk-form``         the target kind of a page with a country control (signup, checkout …)
``xk-expect``       the page verdict ``xktracker check`` gives it
``xk-found-at``     the path discovery reports it under, when the form is not a page of its own
                    (a dialog's content fetched on click is reported on the page with the button)
``xk-steps``        "1" when the control appears only after a click (``steps`` not empty)
``xk-needs-browser`` "1" when only the browser can see it
``xk-decoy``        what a decoy is (newsletter, contact, careers, privacy): never reported

A form page that the site's robots.txt disallows is expected as ``blocked``/``robots``: found
by its link, never fetched. ``site.toml`` adds findings that have no page of their own
(``[[expect]]``: a path behind a login, a site that is all behind one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html
from protego import Protego

from crawler.fetch.static import DEFAULT_USER_AGENT
from tests.discoverweb.server import SiteConfig, load_sites


@dataclass(frozen=True, slots=True)
class Expected:
    site: str
    path: str  # the path (with query) discovery reports as ``url``
    kind: str
    verdict: str
    reason: str | None = None
    steps: bool = False
    needs_browser: bool = False


@dataclass(frozen=True, slots=True)
class SiteExpectations:
    site: SiteConfig
    forms: tuple[Expected, ...]
    decoys: tuple[str, ...]  # paths
    disallowed: tuple[str, ...]  # paths robots.txt forbids (form pages among them)


def _meta(path: Path) -> dict[str, str]:
    tree = lxml.html.fromstring(path.read_bytes())
    return {str(m.get("name")): str(m.get("content") or "")
            for m in tree.iter("meta") if str(m.get("name") or "").startswith("xk-")}


def _url_path(folder: Path, page: Path) -> str:
    relative = page.relative_to(folder).with_suffix("").as_posix()
    if relative == "index":
        return "/"
    if relative.endswith("/index"):
        return "/" + relative[: -len("index")]
    return "/" + relative


def expectations(config: SiteConfig) -> SiteExpectations:
    folder = config.folder
    robots_file = folder / "robots.txt"
    robots = Protego.parse(robots_file.read_text(encoding="utf-8")) if robots_file.exists() \
        else None
    forms: list[Expected] = []
    decoys: list[str] = []
    disallowed: list[str] = []
    for page in sorted(folder.rglob("*.html")):
        if any(part.startswith("@") for part in page.relative_to(folder).parts):
            continue  # another host of the site: declared in site.toml
        meta = _meta(page)
        path = _url_path(folder, page)
        blocked = robots is not None and not robots.can_fetch(
            f"http://x{path}", DEFAULT_USER_AGENT)
        if blocked:
            disallowed.append(path)
        if "xk-decoy" in meta:
            decoys.append(path)
        if "xk-form" in meta:
            found_at = meta.get("xk-found-at") or path
            if blocked:
                forms.append(Expected(config.name, found_at, meta["xk-form"], "blocked",
                                      "robots"))
            else:
                forms.append(Expected(config.name, found_at, meta["xk-form"], meta["xk-expect"],
                                      meta.get("xk-expect-reason"),
                                      steps=meta.get("xk-steps") == "1",
                                      needs_browser=meta.get("xk-needs-browser") == "1"))
    for extra in config.expect:
        forms.append(Expected(config.name, extra["path"], extra["kind"], extra["verdict"],
                              extra.get("reason")))
    return SiteExpectations(config, tuple(forms), tuple(decoys), tuple(disallowed))


def all_expectations() -> dict[str, SiteExpectations]:
    return {name: expectations(config) for name, config in load_sites().items()}
