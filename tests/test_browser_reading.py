"""The browser's new ways of reading a page, on small pages made for one rule each (real
Chromium, a real local server): what a person sees, a list that will not scroll, a form moved
on only by a harmless "Next", and what typing types."""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checks.territory import territory
from crawler.checker import conclude
from crawler.fetch.browser.typing import LETTERS, alphabet, territory_terms
from crawler.fetch.chromium import BrowserUnavailable, find_chromium
from crawler.fetch.guard import EgressPolicy
from tests.lists import world
from xktracker.demoweb.server import DemoWebServer

ROWS = "".join(f'<option value="{v}">{html.escape(lbl)}</option>' for v, lbl in world())


def _doc(body: str, title: str = "Test") -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta name="xk-expect" content="error"><meta name="xk-expect-reason" '
            f'content="unrendered"></head><body>{body}</body></html>')


# -- what typing types (no browser) ----------------------------------------------------------


def test_the_territory_is_typed_in_the_pages_language_first_then_its_own_then_english() -> None:
    kosovo = territory("XK")
    assert territory_terms(kosovo, "en") == [
        "Kos", "Kosov", "Kosovo", "Kosova", "Kosovë", "Кос", "Косов", "Косово", "XK", "+383"]
    assert territory_terms(kosovo, "sq")[:3] == ["Kos", "Kosov", "Kosovë"]
    assert territory_terms(kosovo, "sr")[:3] == ["Кос", "Косов", "Косово"]
    assert territory_terms(kosovo, "ja")[0] == "コソボ"
    assert territory_terms(kosovo, "xx-unknown")[0] == "Kos"


def test_first_letters_follow_the_pages_alphabet() -> None:
    assert alphabet("sr", {}) == LETTERS["cyrillic"]
    assert alphabet("sr-latn", {}) == LETTERS["latin"]
    assert alphabet(None, {"cyrillic": 300, "latin": 20}) == LETTERS["cyrillic"]
    assert alphabet("de", {"latin": 10}) == LETTERS["latin"]


# -- in Chromium --------------------------------------------------------------------------------

SEEN = """
<div id="plain" style="width:200px;height:30px">plain</div>
<select id="clipped" style="position:absolute;width:1px;height:1px;clip:rect(0 0 0 0);
  overflow:hidden"></select>
<select id="tiny" style="width:1px;height:1px"></select>
<select id="clear" style="opacity:0;width:200px;height:30px"></select>
<div aria-hidden="true"><select id="unannounced" style="width:200px;height:30px"></select></div>
<select id="parked" style="position:absolute;left:-9999px;width:200px;height:30px"></select>
<select id="clip-path" style="width:200px;height:30px;clip-path:inset(50%)"></select>
"""
LONG_HIDDEN = """<form><label for="email">Email</label><input id="email" type="email">
<label for="country">Country</label>
<select id="country" name="country" class="tomselected ts-hidden-accessible"
  style="position:absolute;width:1px;height:1px;clip:rect(0 0 0 0);overflow:hidden"></select>
</form>"""
LONG_SHOWN = """<form><label for="country">Country</label>
<select id="country" name="country"><option value="">Loading…</option></select></form>"""
# A drop-down whose rows never change when it is scrolled (it answers wheel events only, or is
# broken): ten rows of a 10,000 px list. Its absence of Kosovo must never be judged.
STUCK_LIST = """<form><span id="lbl">Country</span>
<button type="button" id="pick" aria-haspopup="listbox" aria-labelledby="lbl">Choose…</button>
<div id="menu" hidden style="height:200px;overflow:auto;border:1px solid #999">
  <div role="listbox" aria-labelledby="lbl" style="height:10000px;position:relative">ROWS</div>
</div></form>
<script>
document.getElementById('pick').addEventListener('click', function () {
  document.getElementById('menu').hidden = false;
});
</script>"""


def _stuck_rows() -> str:
    names = ["Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Argentina", "Armenia",
             "Australia", "Austria", "Azerbaijan"]
    return "".join(f'<div role="option" style="position:absolute;top:{i * 36}px;height:36px">'
                   f"{n}</div>" for i, n in enumerate(names))


def _step_page(button: str, *, required: bool = True) -> str:
    req = " required" if required else ""
    return _doc(f"""<form id="f" action="/signup" method="post">
<div id="one"><label for="first">First name</label><input id="first" name="first_name"{req}>
<label for="mail">Email</label><input id="mail" type="email" name="email"{req}>
<label for="pw">Password</label><input id="pw" type="password" name="password"{req}>
{button}</div>
<div id="two" hidden><label for="country">Country</label>
<select id="country" name="country"></select></div></form>
<script>
function next(event) {{
  if (event) event.preventDefault();
  var first = document.getElementById('first'), mail = document.getElementById('mail');
  if (first.required && (!first.value || !/@example\\.com$/.test(mail.value))) return;
  document.getElementById('country').innerHTML = {ROWS!r};
  document.getElementById('one').hidden = true;
  document.getElementById('two').hidden = false;
}}
document.getElementById('go').addEventListener('click', next);
document.getElementById('f').addEventListener('submit', next);
</script>""", "Sign up")


def _capped_typeahead() -> str:
    """A typeahead that matches a label's start only and shows at most ten rows, best ranked
    first (here: reverse order), over a world list where Kosovo is "Serbia – Kosovo": the
    first letters name a world list, "s" cuts it off, and "Kos" finds nothing. Only typing
    the parent's name shows it."""
    import json

    rows = [(v, "Serbia – Kosovo" if v == "XK" else lbl) for v, lbl in world()]
    rows.sort(key=lambda r: r[1].casefold(), reverse=True)
    return _doc(f"""<form><label for="c">Country</label>
<input id="c" role="combobox" aria-autocomplete="list" aria-controls="l" autocomplete="off">
<ul id="l" role="listbox" hidden></ul></form>
<script>
var rows = {json.dumps(rows)};
var input = document.getElementById('c'), list = document.getElementById('l');
input.addEventListener('input', function () {{
  var q = input.value.toLowerCase();
  var shown = q ? rows.filter(function (r) {{ return r[1].toLowerCase().startsWith(q); }})
                      .slice(0, 10) : [];
  list.innerHTML = '';
  shown.forEach(function (r) {{
    var li = document.createElement('li'); li.setAttribute('role', 'option');
    li.textContent = r[1]; list.appendChild(li);
  }});
  list.hidden = !shown.length;
}});
</script>""", "Sign up")


PAGES = {
    "capped-typeahead.html": _capped_typeahead(),
    "seen.html": _doc(SEEN),
    "long-hidden.html": _doc(LONG_HIDDEN),
    "long-shown.html": _doc(LONG_SHOWN),
    "stuck-list.html": _doc(STUCK_LIST.replace("ROWS", _stuck_rows())),
    "next.html": _step_page('<button type="button" id="go">Next</button>'),
    "next-optional.html": _step_page('<button type="button" id="go">Continue</button>',
                                     required=False),
    "submit-next.html": _step_page('<button id="go">Next</button>'),
    "create.html": _step_page('<button type="button" id="go">Create account</button>'),
    "pay.html": _step_page('<button type="button" id="go">Continue to payment</button>'),
    "link.html": _step_page('<a href="http://127.0.0.2:9/" id="go">Next</a>'),
}


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoWebServer]:
    folder: Path = tmp_path_factory.mktemp("reading")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    with DemoWebServer(pages_dir=folder) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> str:
    try:
        return find_chromium().path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium for the browser tests: {exc}")


@pytest.fixture(scope="module")
def fetcher(chromium: str) -> Iterator[Any]:
    from crawler.fetch.browser import BrowserFetcher

    with BrowserFetcher(executable_path=chromium, timeout=20.0,
                        policy=EgressPolicy.build(allow_networks=["127.0.0.1/32"])) as browser:
        yield browser


def _in_page(chromium: str, url: str, work: Any) -> Any:
    """Run ``work(page)`` (a coroutine function) on ``url`` in a fresh Chromium page."""
    from playwright.async_api import async_playwright

    async def run() -> Any:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(**find_chromium(chromium).launch_options())
            try:
                page = await browser.new_page()
                await page.goto(url)
                return await work(page)
            finally:
                await browser.close()

    return asyncio.run(run())


@pytest.mark.browser
def test_seen_judges_visibility_as_a_person_does(chromium: str, web: DemoWebServer) -> None:
    from crawler.fetch.browser import scripts

    ids = ["plain", "clipped", "tiny", "clear", "unannounced", "parked", "clip-path"]
    probe = ("(ids) => {" + scripts._helpers()
             + "; return ids.map((i) => XK.seen(document.getElementById(i)));}")

    async def work(page: Any) -> Any:
        return await page.evaluate(probe, ids)

    assert _in_page(chromium, web.url("/seen.html"), work) == [True] + [False] * 6


@pytest.mark.browser
@pytest.mark.parametrize(("path", "held"), [("/long-hidden.html", False),
                                            ("/long-shown.html", True)])
def test_only_an_empty_select_a_person_sees_holds_the_page(chromium: str, web: DemoWebServer,
                                                          path: str, held: bool) -> None:
    """A library's hidden original select must not keep settling until the deadline; a
    visible empty country select (filled late) must."""
    from crawler.fetch.browser.settle import settle_page

    async def work(page: Any) -> str:
        return await settle_page(page, deadline=time.monotonic() + 3.0)

    state = _in_page(chromium, web.url(path), work)
    assert (state == "deadline") is held, state


@pytest.mark.browser
def test_a_list_that_does_not_scroll_is_never_judged(fetcher: Any, web: DemoWebServer) -> None:
    out = fetcher.fetch(web.url("/stuck-list.html"))
    (control,) = out.extra_controls
    assert control["enumeration"] == "partial"
    result, verdict, reason = conclude(out, "XK")
    assert (verdict, reason) == ("error", "unrendered")


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/next.html", "/next-optional.html"])
def test_a_harmless_next_moves_the_form_on(fetcher: Any, web: DemoWebServer, path: str) -> None:
    out = fetcher.fetch(web.url(path))
    _, verdict, _ = conclude(out, "XK")
    assert verdict == "listed"
    assert out.actions[-1] == "pressed 'Next'" if path == "/next.html" else "pressed 'Continue'"
    filled = [a for a in out.actions if a.startswith("filled")]
    if path == "/next.html":
        assert filled == ["filled 'first_name' with 'Test'",
                          "filled 'email' with 'test@example.com'"]  # never the password
    else:
        assert filled == []
    assert "moved the form on" in (out.detail or "")


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/submit-next.html", "/create.html", "/pay.html",
                                  "/link.html"])
def test_what_submits_signs_up_pays_or_leaves_is_never_pressed(fetcher: Any, web: DemoWebServer,
                                                               path: str) -> None:
    out = fetcher.fetch(web.url(path))
    assert out.actions == []
    _, verdict, reason = conclude(out, "XK")
    assert (verdict, reason) == ("error", "unrendered")
    assert out.final_url == web.url(path)


@pytest.mark.browser
def test_a_search_that_cuts_its_answers_short_is_searched_for_longer_names(
        fetcher: Any, web: DemoWebServer) -> None:
    """Ten rows for "s" hide "Serbia – Kosovo", and the first letters still name 150
    countries: without typing the parent's name this would be a false "missing"."""
    out = fetcher.fetch(web.url("/capped-typeahead.html"))
    (control,) = out.extra_controls
    assert "search:Ser" in control["hints"]
    result, verdict, _ = conclude(out, "XK")
    assert verdict == "listed_qualified"
