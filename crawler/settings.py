"""Scrapy settings of the crawler: a commented menu, as in Scrapy's project template.

Everything here is a default: ``scrapy crawl countries -s NAME=VALUE`` or
``xktracker crawl --set NAME=VALUE`` override it. Our own settings start with ``XK_``; the
ones that name a place (database, evidence folder, browser) default to the ``XKTRACKER_*``
environment settings (docs/settings.md), read once when the crawl starts.

Nothing here runs code at import: the Chromium to launch is found when the spider starts.
"""

from crawler.config import crawl_defaults
from crawler.fetch.static import DEFAULT_MAX_BYTES, DEFAULT_USER_AGENT

BOT_NAME = "xktracker"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Politeness -----------------------------------------------------------------------------
# We read public signup and checkout pages, once a day at most, and say who we are.
ROBOTSTXT_OBEY = True  # a refusal is recorded as blocked/robots (crawler.middlewares)
USER_AGENT = DEFAULT_USER_AGENT  # names the project and a contact URL
CONCURRENT_REQUESTS = 8  # across all sites
CONCURRENT_REQUESTS_PER_DOMAIN = 1  # one request at a time per site
DOWNLOAD_DELAY = 1.0  # seconds between two requests to one site (AutoThrottle adapts it)
AUTOTHROTTLE_ENABLED = True  # slows down for sites that answer slowly
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = True  # some signup pages set a session cookie before showing the form
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "Accept-Language": "en",
}

# --- Robustness: retries, caps --------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3  # 5xx, 429, timeouts, refused and reset connections: 4 tries at most
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_GIVE_UP_LOG_LEVEL = "INFO"  # giving up is an outcome we record, not a crash
DOWNLOAD_TIMEOUT = 20  # seconds for a whole download (a page dripping bytes is cut off)
DOWNLOAD_MAXSIZE = DEFAULT_MAX_BYTES  # 10 MiB, also after decompression (gzip bombs)
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 8  # more is too_many_redirects; a URL seen twice is redirect_loop
METAREFRESH_ENABLED = False  # a refresh is a page's choice to show, not a hop to follow
DOWNLOAD_FAIL_ON_DATALOSS = True  # a body cut short is an error, never a shorter page

# --- Components ------------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # Every request (redirect hops, robots.txt, retries) passes the address guard first.
    "crawler.middlewares.AddressGuardMiddleware": 50,
    # Each browser request's context gets its own session of the egress proxy (the browser has
    # no other way out): crawler.browser_page.
    "crawler.browser_page.EgressSessionMiddleware": 60,
    # Scrapy's robots middleware, marking its refusals so they are recorded as blocked/robots.
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.RobotsMiddleware": 100,
    # Scrapy's retry middleware with back-off, Retry-After and browser-page clean-up.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.PoliteRetryMiddleware": 550,
    # --record / --replay: closest to the network, so it sees raw bytes and every hop.
    "crawler.middlewares.CassetteMiddleware": 950,
}
ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
# Each response gives one check (or one next request): Scrapy's default of 100 would start a
# hundred idle item workers per response, which cost more than a third of the static crawl's
# throughput (benchmarks/bench_crawl_static.py).
CONCURRENT_ITEMS = 1
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    # The run the checks go into: opened or resumed at start, closed (or left to resume) at end.
    "crawler.run_lifecycle.RunLifecycle": 100,
    "crawler.progress.Progress": 500,
}
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 opens a control server by default (probe.md §5)

# --- The browser path (scrapy-playwright) ---------------------------------------------------
# Requests go through the Playwright handler only when they ask for it (meta "playwright");
# the spider installs its handlers (XK_DOWNLOAD_HANDLERS_BROWSER) unless --browser never.
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# Connections use only addresses the egress policy approved at that very look-up (no DNS
# rebinding between the guard's check and the connection).
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
PLAYWRIGHT_BROWSER_TYPE = "chromium"
# PLAYWRIGHT_LAUNCH_OPTIONS: left unset, the spider fills it from
# crawler.fetch.chromium.find_chromium(XKTRACKER_BROWSER_PATH) (Debian's Chromium works).
PLAYWRIGHT_MAX_CONTEXTS = 2  # browser pages at once: the machine is CPU-bound beyond that
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 1  # one fresh context per target (no shared cookies)
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000  # ms
PLAYWRIGHT_ABORT_REQUEST = "crawler.browser_page.skip_resource"  # images, fonts, media

# --- Our own settings (XK_*) ------------------------------------------------------------------
# What to crawl and where to keep it, where it may connect, retries, the browser, discovery and
# several workers: each declared once, with its default and help, in crawler/config.py
# (CRAWL_SETTINGS) and listed in docs/crawling.md#crawl-settings. An unknown XK_* name is an
# error, so `-s XK_TYPO=1` is refused instead of silently ignored.
globals().update(crawl_defaults())

LOG_LEVEL = "INFO"
