"""Paths to a false ``missing`` in the browser, closed (real Chromium, a real local server):
a typeahead whose Kosovo row begins with another letter, a search that never answered, a
virtual list scrolled past rows it never drew, a dial code no person sees, a "Next" that
sends the form by script, and a frame that could not be read."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest

from checks.territory import territory
from crawler.checker import conclude
from crawler.fetch.browser.typing import initial_letters
from crawler.fetch.chromium import BrowserUnavailable, find_chromium
from crawler.fetch.guard import EgressPolicy
from crawler.fetch.outcome import FetchOutcome
from tests.absence_web import AbsenceWeb
from tests.lists import world


@pytest.fixture(scope="module")
def web() -> Iterator[AbsenceWeb]:
    with AbsenceWeb() as server:
        yield server


@pytest.fixture(scope="module")
def fetcher() -> Iterator[Any]:
    from crawler.fetch.browser import BrowserFetcher

    try:
        chromium = find_chromium().path
    except BrowserUnavailable as exc:
        pytest.skip(f"no Chromium for the browser tests: {exc}")
    with BrowserFetcher(executable_path=chromium, timeout=20.0, screenshots=False,
                        policy=EgressPolicy.build(allow_networks=["127.0.0.1/32"])) as browser:
        yield browser


# -- what is typed before an absence can stand (no browser) ------------------------------------


def test_the_first_letters_of_every_name_kosovo_goes_by_are_typed() -> None:
    """Its own names, its longer names and its parent's, in the page's language and in
    Albanian, Serbian and English: "Republic of Kosovo", "Република Косово", "Serbia"."""
    letters = initial_letters(territory("XK"), "en")
    assert {"k", "к", "r", "р", "s", "с"} <= set(letters)
    assert len(letters) == len(set(letters))


# -- typing ----------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_complete_typed_world_list_without_kosovo_is_missing(fetcher: Any,
                                                               web: AbsenceWeb) -> None:
    """The control: every letter answered, Kosovo nowhere: the absence stands."""
    out = fetcher.fetch(web.url("typeahead-none"))
    (control,) = out.extra_controls
    assert control["enumeration"] == "typed"
    queries = control["hints"].split("typed:")[1].split()[0].split(",")
    assert {"k", "r"} <= set(queries)  # typed though the other letters named 150 countries
    _, verdict, _ = conclude(out, "XK")
    assert verdict == "missing"


@pytest.mark.browser
def test_kosovo_under_its_long_name_is_found_by_its_first_letter(fetcher: Any,
                                                                 web: AbsenceWeb) -> None:
    """"Kos" shows nothing in a search that matches a label's start; "r" shows "Republic of
    Kosovo". Before, the letters stopped at 150 countries, before "r": a false missing."""
    out = fetcher.fetch(web.url("typeahead-republic"))
    (control,) = out.extra_controls
    assert "search:r" in control["hints"].split()
    _, verdict, _ = conclude(out, "XK")
    assert verdict == "listed"


@pytest.mark.browser
@pytest.mark.parametrize(("page", "odd"), [("typeahead-cyrillic-o", "\u043e"),
                                           ("typeahead-soft-hyphen", "\u00ad")])
def test_kosovo_spelled_with_an_odd_character_is_never_missing(fetcher: Any, web: AbsenceWeb,
                                                               page: str, odd: str) -> None:
    """"Kоsovo" (a Cyrillic "о") or "Ko\u00adsovo" (a soft hyphen) is not shown by "Kos",
    only by "k": it is read, and the label rules judge it (listed with a note, or unknown),
    never missing."""
    out = fetcher.fetch(web.url(page))
    (control,) = out.extra_controls
    assert any(odd in o["label"] for o in control["options"])
    _, verdict, _ = conclude(out, "XK")
    assert verdict not in ("missing", "partial", "wrong_code")


@pytest.mark.browser
@pytest.mark.parametrize(("page", "unanswered"), [("typeahead-429", "k"),
                                                  ("typeahead-500", "m"),
                                                  ("typeahead-hang", "k")])
def test_a_search_that_never_answered_proves_nothing_absent(fetcher: Any, web: AbsenceWeb,
                                                            page: str, unanswered: str) -> None:
    """One letter throttled (429), failed (500) or never answered: the suggestions look like
    "nothing found", but the list was not read whole: unknown, never missing."""
    out = fetcher.fetch(web.url(page))
    (control,) = out.extra_controls
    assert unanswered in control["hints"].split("typed:")[1].split()[0].split(",")
    assert f"unanswered:{unanswered}" in control["hints"].split()
    assert control["enumeration"] == "partial"
    _, verdict, reason = conclude(out, "XK")
    assert (verdict, reason) == ("error", "unrendered")


# -- scrolling, dial codes -------------------------------------------------------------------


@pytest.mark.browser
def test_a_virtual_list_scrolled_past_rows_it_never_drew_is_partial(fetcher: Any,
                                                                    web: AbsenceWeb) -> None:
    out = fetcher.fetch(web.url("skipping-list"))
    (control,) = out.extra_controls
    assert control["enumeration"] == "partial"
    assert len(control["options"]) < len(world(kosovo=None))
    _, verdict, reason = conclude(out, "XK")
    assert (verdict, reason) == ("error", "unrendered")


@pytest.mark.browser
def test_a_virtual_list_with_no_box_of_its_own_to_scroll_is_partial(fetcher: Any,
                                                                      web: AbsenceWeb) -> None:
    """The page scrolls it: nothing says where its end is, but its rows are placed in a
    spacer as tall as the whole list. What is drawn is not the list."""
    out = fetcher.fetch(web.url("page-scrolled-list"))
    (control,) = out.extra_controls
    assert control["enumeration"] == "partial"
    _, verdict, reason = conclude(out, "XK")
    assert (verdict, reason) == ("error", "unrendered")


@pytest.mark.browser
def test_a_dial_code_hidden_by_css_is_not_read(fetcher: Any, web: AbsenceWeb) -> None:
    """Kosovo shows "+383"; a hidden span beside it says "+381", which no person reads."""
    out = fetcher.fetch(web.url("phone-picker"))
    (control,) = out.extra_controls
    kosovo = [o["label"] for o in control["options"] if o["label"].startswith("Kosovo")]
    assert kosovo == ["Kosovo +383"]
    _, verdict, _ = conclude(out, "XK")
    assert verdict == "listed"


# -- a form moved on sends nothing -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("page", "method"), [("post-fetch", "POST"), ("post-beacon", "POST"),
                                              ("post-submit", None)])
def test_a_next_button_that_sends_by_script_sends_nothing(fetcher: Any, web: AbsenceWeb,
                                                          page: str, method: str | None) -> None:
    before = len(web.posts)
    out = fetcher.fetch(web.url(page))
    assert web.posts[before:] == []
    assert out.final_url == web.url(page)
    assert "pressed 'Next'" in out.actions
    if method is not None:
        assert any(a.startswith(f"blocked {method} ") for a in out.actions), out.actions
    _, verdict, _ = conclude(out, "XK")
    assert verdict == "missing"  # step two's list is read whole


# -- a frame that could not be read -----------------------------------------------------------


def _outcome(unread: list[str]) -> FetchOutcome:
    rows = "".join(f'<option value="{v}">{html.escape(lbl)}</option>'
                   for v, lbl in world(kosovo=None))
    doc = (f'<!doctype html><html><head><title>Sign up</title></head><body><form>'
           f'<label for="c">Country</label><select id="c" name="country">{rows}</select>'
           f'<iframe src="https://pay.example/form"></iframe></form></body></html>')
    return FetchOutcome(requested_url="https://shop.example/", method="browser",
                        final_url="https://shop.example/", status=200, html=doc,
                        unread_frames=unread)


def test_an_unread_frame_keeps_an_absence_from_being_concluded() -> None:
    """The page's own world list lacks Kosovo; a frame (a payment provider's form, say) could
    not be read and might list it: the page is not missing."""
    _, verdict, _ = conclude(_outcome([]), "XK")
    assert verdict == "missing"
    result, verdict, reason = conclude(_outcome(["https://pay.example/form"]), "XK")
    assert (verdict, reason) == ("error", "unrendered")
    assert result is not None
    assert any("could not be read" in n and "pay.example" in n for n in result.notes)
