"""A browser check analyses its page once: the analysis that chose the control to photograph
is the one the verdict uses, and only while the outcome still holds what it read."""

from __future__ import annotations

from crawler.checker import choose_control, conclude
from crawler.fetch.outcome import FetchOutcome
from xktracker.demoweb.expectations import PAGES_DIR


def _outcome(page: str) -> FetchOutcome:
    html = (PAGES_DIR / page).read_text(encoding="utf-8")
    return FetchOutcome(requested_url=f"https://shop.example/{page}", method="browser",
                        final_url=f"https://shop.example/{page}", status=200, html=html)


def test_the_verdict_reuses_the_analysis_that_chose_the_control() -> None:
    out = _outcome("checkout-world-missing.html")
    selector = choose_control("XK")(out)
    assert selector and out.analysed is not None
    chosen = out.analysed.result
    result, verdict, _ = conclude(out, "XK")
    assert result is chosen and verdict == "missing"
    # The reused analysis is the one a fresh outcome of the same page gets.
    fresh, fresh_verdict, fresh_reason = conclude(_outcome("checkout-world-missing.html"), "XK")
    assert fresh is not None and fresh_verdict == verdict
    assert [f.verdict for f in fresh.fields] == [f.verdict for f in chosen.fields]


def test_changed_inputs_are_analysed_again() -> None:
    out = _outcome("checkout-world-missing.html")
    choose_control("XK")(out)
    assert out.analysed is not None
    first = out.analysed.result
    # Another territory: another question, another analysis.
    other, _, _ = conclude(out, "TW")
    assert other is not first
    # A control read by clicking after the choice changes what the page holds.
    out = _outcome("checkout-world-missing.html")
    choose_control("XK")(out)
    first = out.analysed.result if out.analysed else None
    out.extra_controls.append({
        "widget": "listbox", "selector": "#dial", "name": "dial", "label": "Country code",
        "options": [{"value": "+383", "label": "Kosovo +383"},
                    {"value": "+355", "label": "Albania +355"}], "hints": "opened-by-click"})
    again, _, _ = conclude(out, "XK")
    assert again is not first and again is not None
    assert len(again.fields) == len(first.fields) + 1  # type: ignore[union-attr]
    # A new document (the same text, read again) is not trusted to be the same object.
    out = _outcome("checkout-world-missing.html")
    choose_control("XK")(out)
    first = out.analysed.result if out.analysed else None
    out.html = "".join(list(out.html or ""))
    assert conclude(out, "XK")[0] is not first
