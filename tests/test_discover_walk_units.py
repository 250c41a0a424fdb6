"""The site walk on its own (no I/O): what it asks for next given what it was told."""

from __future__ import annotations

from crawler.discover.walk import SiteWalk, TextFetch, Visit, WalkOptions
from crawler.fetch.outcome import FetchOutcome
from crawler.fetch.static import TextResource

START = "https://shop.example/"
SPA = '<html><body><div id="app"></div><script src="/app.js"></script></body></html>'
LATE = ('<html><body><form><label for=c>Country</label><select id=c name=country></select>'
        '</form><script>fetch("/countries")</script></body></html>')
HOME = ('<html><body><header><a href="/register">Sign up</a> <a href="/account">My account</a>'
        '</header></body></html>')


def _page(url: str, html: str, method: str = "static", final: str | None = None) -> FetchOutcome:
    return FetchOutcome(requested_url=url, method=method, final_url=final or url, status=200,
                        html=html, content_type="text/html")


def _walk(robots: str = "", **options: object) -> SiteWalk:
    walk = SiteWalk(START, WalkOptions(**options))  # type: ignore[arg-type]
    step = walk.next_step()
    assert step == TextFetch(START + "robots.txt", "robots")
    status = 200 if robots else 404
    walk.feed_text(step, TextResource(FetchOutcome(START + "robots.txt", "static",
                                                   status=status), robots or None))
    return walk


def test_robots_first_then_the_start_page() -> None:
    walk = _walk()
    visit = walk.next_step()
    assert isinstance(visit, Visit) and visit.url == START and visit.source == "start"


def test_a_script_drawn_page_goes_to_the_browser_by_checks_rule() -> None:
    walk = _walk()
    start = walk.next_step()
    assert walk.feed(start, _page(START, SPA)) == []
    again = walk.next_step()
    assert isinstance(again, Visit)
    assert (again.url, again.method, again.source) == (START, "browser", "escalation")


def test_without_a_browser_the_html_result_stands_with_a_note() -> None:
    walk = _walk()
    start = walk.next_step()
    assert walk.feed(start, _page(START, LATE)) == []  # a list drawn later: the browser's job
    again = walk.next_step()
    assert again.method == "browser"
    [finding] = walk.feed(again, FetchOutcome(START, "browser", error="browser_unavailable",
                                              detail="no Chromium"))
    # check's own answer without a browser: the control was seen, not read, and said so.
    assert (finding.report["verdict"], finding.report["reason"]) == ("error", "unrendered")
    assert any("no Chromium" in note for note in finding.report["notes"])
    assert walk.browser_missing == "no Chromium"
    assert walk.stats.pages == 1  # the browser fetched nothing


def test_never_mode_reads_html_only() -> None:
    walk = _walk(browser="never")
    start = walk.next_step()
    walk.feed(start, _page(START, SPA))
    sitemap = walk.next_step()  # no escalation, no link: the sitemap is all that is left
    assert sitemap == TextFetch(START + "sitemap.xml", "sitemap")
    walk.feed_text(sitemap, TextResource(FetchOutcome(sitemap.url, "static", status=404), None))
    assert walk.next_step() is None
    assert walk.stats.stop_reason == "done"


def test_a_browser_page_that_ended_off_the_site_is_dropped() -> None:
    walk = _walk(browser="always")
    start = walk.next_step()
    assert start.method == "browser"
    off = _page(START, '<select name="country"><option>Kosovo</option></select>', "browser",
                final="https://elsewhere.example/")
    assert walk.feed(start, off) == []
    assert "left the site" in walk.stats.notes[0]


def test_a_strong_link_robots_txt_forbids_is_reported_never_fetched() -> None:
    walk = _walk("User-agent: *\nDisallow: /register\n")
    start = walk.next_step()
    walk.feed(start, _page(START, HOME))
    fetched = []
    while (step := walk.next_step()) is not None:
        if isinstance(step, TextFetch):
            walk.feed_text(step, TextResource(FetchOutcome(step.url, "static", status=404),
                                              None))
            continue
        fetched.append(step.url)
        walk.feed(step, _page(step.url, "<html><body>nothing</body></html>"))
    assert START + "register" not in fetched
    assert START + "account" in fetched
    blocked = [f.report for f in walk.findings if f.report["verdict"] == "blocked"]
    assert [(r["url"], r["reason"], r["kind"]) for r in blocked] == [
        (START + "register", "robots", "signup")]
