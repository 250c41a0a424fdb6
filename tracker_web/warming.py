"""Warming the dashboard, so no visitor waits: the whole-history numbers and the kept pages,
when a web process starts and when a crawl ends.

At start (:func:`warm_at_start`, a thread of each web process) the numbers are computed and the
pages last rendered (by any process) are loaded from the instance folder; those of an older data
version are queued for a fresh rendering in the background. After a crawl
(:func:`render_kept_pages`, run by ``xktracker crawl`` and ``xktracker publish`` in their own
process) the main pages of every public address of the dashboard (``PUBLIC_HOSTS``, else the
:data:`~tracker_web.pagecache.MAX_HOSTS` most kept), in every language, and the pages visitors
asked for most recently there are rendered again into the instance folder, where every web
process finds them.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from flask import Flask

from tracker_web.database import get_db
from tracker_web.i18n import LANGUAGES
from tracker_web.pagecache import MAX_HOSTS, PageCache, pages_of
from tracker_web.pagestore import Recipe

log = logging.getLogger(__name__)
# The pages most visitors start from, made for every address and language already seen.
MAIN_PAGES = ("/", "/upstream", "/about", "/data", "/api/v1/stats", "/feeds/changes.atom")
START_PAGES = 500


def warm_numbers(app: Flask) -> None:
    """Compute the scoreboard's and the Libraries page's numbers once."""
    from tracker_web.facts import scoreboard
    from tracker_web.libraries import libraries

    with app.app_context():
        db = get_db().sessions()
        try:
            scoreboard(db)
            libraries(db)
        finally:
            db.close()


def public_hosts(cache: PageCache, recipes: Iterable[Recipe]) -> set[str]:
    """The hosts pages are kept for: ``PUBLIC_HOSTS``, else the :data:`MAX_HOSTS` with the
    most of ``recipes`` (never the newest: anyone can send any ``Host``)."""
    if cache.hosts:
        return set(cache.hosts)
    counted = Counter(recipe.host for recipe in recipes)
    return {host for host, _ in counted.most_common(MAX_HOSTS)}


def load_kept_pages(app: Flask, limit: int = START_PAGES) -> int:
    """Load the most recent renderings of the public hosts from the instance folder into
    memory; queue the out-of-date ones for a fresh rendering. How many were loaded."""
    cache = pages_of(app)
    version = cache.version()
    recipes = list(cache.store.recipes(limit))
    hosts = public_hosts(cache, recipes)
    loaded = 0
    for recipe in recipes:
        if recipe.host not in hosts or not cache.host_allowed(recipe.host):
            continue
        page = cache.store.load(recipe)
        if page is None:
            continue
        cache.memory.put(page)
        loaded += 1
        if (page.version != version or page.stale) and cache.background:
            cache.refresher.ask(recipe)
    return loaded


def warm_at_start(app: Flask) -> None:
    """A web process's warm-up (in a thread): the numbers, then the kept pages."""
    try:
        warm_numbers(app)
        load_kept_pages(app)
    except Exception:  # a database not set up yet: the first request will say so
        log.exception("warming the dashboard failed")


@dataclass(frozen=True, slots=True)
class Rendered:
    pages: int
    left: int  # not rendered within the time allowed
    seconds: float


def _to_render(app: Flask, limit: int) -> list[Recipe]:
    """The main pages of each public origin, then the kept pages of those hosts. Hosts come
    from ``PUBLIC_HOSTS``, else the few with the most kept pages: a forged ``Host`` header
    must not multiply the work (six pages × three languages per host)."""
    cache = pages_of(app)
    every = list(cache.store.recipes(limit))
    allowed = public_hosts(cache, every)
    kept = [r for r in every if r.host in allowed]
    counted = Counter((r.scheme, r.host, r.script_name) for r in kept)
    origins = [origin for origin, _ in counted.most_common(max(MAX_HOSTS, len(allowed)))]
    main = [Recipe(path=path, query="", host=host, scheme=scheme, language=language,
                   script_name=script_name)
            for scheme, host, script_name in origins for path in MAIN_PAGES
            for language in LANGUAGES]
    ordered: dict[str, Recipe] = {}
    for recipe in (*main, *kept):
        ordered.setdefault(recipe.key(), recipe)
    return list(ordered.values())


def render_kept_pages(app: Flask, *, limit: int = 2000, seconds: float = 300.0) -> Rendered:
    """Render again, into the instance folder, the main pages of every address the dashboard
    was reached at (in every language) and the pages kept there, most recent first, for at
    most ``seconds``."""
    started = time.monotonic()
    cache = pages_of(app)
    recipes = _to_render(app, limit)
    done = 0
    for recipe in recipes:
        if time.monotonic() - started > seconds:
            break
        try:
            cache.render_recipe(recipe)
        except Exception:  # one page failing must not stop the others
            log.exception("rendering %s failed", recipe.path)
        done += 1
    return Rendered(pages=done, left=len(recipes) - done,
                    seconds=time.monotonic() - started)
