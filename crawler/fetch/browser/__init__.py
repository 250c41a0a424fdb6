"""The browser path: load a page in Chromium and read the country controls a script drew.

Many sites build the country list with JavaScript: late, from an XHR, inside a custom
dropdown that exists only once clicked, in a shadow root or an iframe. This package drives
Playwright to see them and turns everything it finds into a :class:`FetchOutcome`.

One module per phase of a check:

* ``guard`` – what a page may load, and why a navigation failed (the egress proxy below
  every context decides where it may connect: :mod:`crawler.fetch.egress`);
* ``settle`` – waiting until the form is there (network, frames, the settle loop), and
  scrolling the page through for what loads only in view;
* ``steps`` – the catalog's steps (click, fill, select, wait_for, scroll);
* ``probe`` – custom drop-downs opened one by one and read (scrolled, and searched by
  ``typing`` where only a search shows the list), in every frame;
* ``advance`` – a multi-step form moved on, safely, to the step with the country;
* ``evidence`` – the screenshot of the deciding control;
* ``read`` – the phases in order, from a loaded page to a ``FetchOutcome``; shared by
  ``xktracker check`` and the Scrapy crawler (scrapy-playwright hands out async pages);
* ``fetcher`` – :class:`BrowserFetcher`, the blocking fetcher behind ``xktracker check``;
* ``errors`` – failures and their outcome reasons; ``limits`` – shared defaults;
* ``scripts`` – the in-page JavaScript, loaded from the ``js/`` files beside it.
"""

from __future__ import annotations

from crawler.fetch.browser.errors import (
    PageStop,
    StepFailed,
    classify_error,
    is_closed_error,
    net_error_reason,
)
from crawler.fetch.browser.evidence import screenshot_control
from crawler.fetch.browser.fetcher import BrowserFetcher
from crawler.fetch.browser.guard import explain, skip_unneeded
from crawler.fetch.browser.limits import (
    DEFAULT_FOCUS,
    DEFAULT_MAX_HTML_BYTES,
    DEFAULT_VIEWPORT,
    SKIPPED_RESOURCE_TYPES,
)
from crawler.fetch.browser.probe import probe_widgets
from crawler.fetch.browser.read import (
    ChooseControl,
    ReadOptions,
    finish_outcome,
    read_document,
    read_frames,
    read_page,
    record_failure,
)
from crawler.fetch.browser.settle import NetworkTracker, child_frames, settle_page
from crawler.fetch.browser.steps import run_steps

__all__ = [
    "DEFAULT_FOCUS", "DEFAULT_MAX_HTML_BYTES", "DEFAULT_VIEWPORT", "SKIPPED_RESOURCE_TYPES",
    "BrowserFetcher", "ChooseControl", "NetworkTracker", "PageStop", "ReadOptions",
    "StepFailed", "classify_error", "explain", "finish_outcome", "skip_unneeded",
    "is_closed_error", "net_error_reason", "probe_widgets", "read_document", "read_frames",
    "read_page", "record_failure", "run_steps", "child_frames", "screenshot_control",
    "settle_page",
]
