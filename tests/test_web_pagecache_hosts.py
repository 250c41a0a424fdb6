"""Whom a kept page is for: only the public host names (a forged ``Host`` header costs the
sender a render, never a kept file or the crawl's time), and what every public response
tells shared caches."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from flask import Flask

from tests.test_web_pagecache import _other_app
from tests.web_fixtures import app, client, history, make_app, web_db  # noqa: F401
from tracker_web.i18n import LANGUAGES
from tracker_web.pagecache import MAX_HOSTS, pages_of
from tracker_web.warming import MAIN_PAGES, render_kept_pages

FEED = "/feeds/changes.atom"  # its links name the host it was asked at


def _hosts_on_disk(app: Flask) -> Counter[str]:
    return Counter(recipe.host for recipe in pages_of(app).store.recipes())


def test_forged_hosts_neither_evict_real_pages_nor_grow_the_store(app: Flask) -> None:
    pages = pages_of(app)
    pages.store.max_files = 10
    client = app.test_client()
    real = client.get(FEED)
    for n in range(40):
        forged = client.get(FEED, base_url=f"http://forged{n}.example")
        assert forged.status_code == 200 and f"forged{n}.example" in forged.text
        if n >= MAX_HOSTS - 1:  # the first few names are kept, the rest never
            assert forged.headers["Cache-Control"] == "private, no-store"
            assert "ETag" not in forged.headers
    assert len(pages.store.files()) == MAX_HOSTS and len(pages.memory) == MAX_HOSTS
    assert pages.store.prune() == 0
    again = client.get(FEED)
    assert again.data == real.data and again.headers["ETag"] == real.headers["ETag"]
    assert _hosts_on_disk(app)["xk.test"] == 1


def test_only_the_public_hosts_are_kept_when_named(web_db, history,  # noqa: F811
                                                   tmp_path: Path) -> None:
    url, data = web_db
    named = make_app(url, data, tmp_path, PUBLIC_HOSTS=frozenset({"xk.test"}))
    client = named.test_client()
    assert client.get(FEED).headers["Cache-Control"] == "public, max-age=0, s-maxage=1"
    mirror = client.get(FEED, base_url="https://mirror.example")
    assert mirror.status_code == 200 and "https://mirror.example/" in mirror.text
    assert mirror.headers["Cache-Control"] == "private, no-store"
    assert mirror.headers["Vary"] == "Accept-Language, Cookie"
    assert _hosts_on_disk(named) == Counter({"xk.test": 1})
    named.extensions["xktracker_db"].dispose()


def _visit(app: Flask, hosts: dict[str, list[str]]) -> None:
    """Each host's pages, asked by visitors of a web process."""
    client = app.test_client()
    for host, paths in hosts.items():
        for path in paths:
            assert client.get(path, base_url=f"http://{host}").status_code == 200


def _main_pages(app: Flask) -> Counter[str]:
    return Counter(recipe.host for recipe in pages_of(app).store.recipes()
                   if recipe.path in MAIN_PAGES and not recipe.query)


def test_warming_renders_only_the_named_public_hosts(app: Flask, tmp_path: Path) -> None:
    _visit(app, {"xk.test": ["/about", "/site/shop.example.com"], "a.example": ["/about"],
                 "b.example": ["/about"]})
    crawl = _other_app(app, tmp_path, PUBLIC_HOSTS=frozenset({"xk.test"}))
    done = render_kept_pages(crawl)
    crawl.extensions["xktracker_db"].dispose()
    assert done.left == 0 and done.pages == len(MAIN_PAGES) * len(LANGUAGES) + 1
    assert _main_pages(app) == Counter({"xk.test": len(MAIN_PAGES) * len(LANGUAGES),
                                        "a.example": 1, "b.example": 1})


def test_warming_renders_at_most_a_few_hosts_unnamed(app: Flask, tmp_path: Path) -> None:
    # Two web processes, each keeping pages for the first few hosts it was reached at.
    _visit(app, {"xk.test": ["/about", "/upstream", "/data"], "a.example": ["/about"],
                 "b.example": ["/about"], "c.example": ["/about"]})
    other = _other_app(app, tmp_path)  # the same instance folder
    _visit(other, {"d.example": ["/about", "/data"], "e.example": ["/about"],
                   "f.example": ["/about"], "g.example": ["/about"]})
    other.extensions["xktracker_db"].dispose()
    assert len(_hosts_on_disk(app)) == 2 * MAX_HOSTS
    crawl = _other_app(app, tmp_path)
    done = render_kept_pages(crawl)
    crawl.extensions["xktracker_db"].dispose()
    warmed = {host for host, count in _main_pages(app).items() if count > 3}
    assert len(warmed) == MAX_HOSTS and {"xk.test", "d.example"} <= warmed
    assert done.left == 0 and done.pages <= MAX_HOSTS * (len(MAIN_PAGES) * len(LANGUAGES) + 3)


# --- what shared caches are told --------------------------------------------------------------

def _private(response: Any) -> bool:
    return response.headers["Cache-Control"].startswith("private") \
        and response.headers["Vary"] == "Accept-Language, Cookie" \
        and "ETag" not in response.headers


def test_a_public_page_not_kept_says_private_and_vary(app: Flask) -> None:
    client = app.test_client()
    long_query = client.get("/?q=" + "x" * 150)  # answered, never kept
    assert long_query.status_code == 200 and _private(long_query)
    head = client.head("/upstream")  # a HEAD with nothing kept is answered, not kept
    assert head.status_code == 200 and _private(head)
    kept = client.get("/upstream")
    assert kept.headers["Cache-Control"].startswith("public")
    assert kept.headers["Vary"] == "Accept-Language, Cookie"
    missing = client.get("/site/nowhere.example")
    assert missing.status_code == 404 and "public" not in missing.headers.get(
        "Cache-Control", "")


def test_the_query_kept_is_the_query_read(app: Flask) -> None:
    client = app.test_client()
    at_limit = "shop" + "x" * 96  # 100 characters: read whole by the page, kept
    assert client.get(f"/?q={at_limit}").headers["Cache-Control"].startswith("public")
    beyond = client.get(f"/?q={at_limit}y")  # the page would read only 100: never kept
    assert beyond.status_code == 200 and _private(beyond)
