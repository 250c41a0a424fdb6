"""Progress lines of a crawl on stderr: one per stored check, then a summary.

Enabled by ``XK_PROGRESS`` (``xktracker crawl`` turns it on). Text from the web (URLs) is
cleaned of control characters before it reaches the terminal.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import CheckItem


class Progress:
    EVERY = 10  # a line of running verdict counts after this many checks

    def __init__(self, crawler: Crawler, stream: TextIO | None = None) -> None:
        self.crawler = crawler
        self.stream = stream or sys.stderr
        self.verdicts: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("XK_PROGRESS"):
            raise NotConfigured
        return cls(crawler)

    def _stat(self, name: str) -> Any:
        return self.crawler.stats.get_value(name) if self.crawler.stats else None

    def counts(self) -> str:
        return ", ".join(f"{n} {v}" for v, n in self.verdicts.most_common()) or "nothing yet"

    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        if not isinstance(item, CheckItem):
            return
        from foundation.text import safe

        report = item.report
        self.verdicts[report["verdict"]] += 1
        if report["verdict"] in ("error", "blocked"):
            self.errors[f"{report['verdict']}/{report.get('reason')}"] += 1
        total = int(self._stat("xk/targets_total") or 0)
        done = int(self._stat("xk/targets_already_checked") or 0) + sum(self.verdicts.values())
        reason = f"/{report['reason']}" if report.get("reason") else ""
        lines = [f"[{done}/{total}] {report['verdict'] + reason:<28} {report['method']:<7} "
                 f"{safe(report['source'], 100)}"]
        if done % self.EVERY == 0 or done == total:
            lines.append(f"  {done}/{total} done: {self.counts()}")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        run = self._stat("xk/run_id")
        status = self._stat("xk/run_status") or "not opened"
        left = self._stat("xk/targets_unchecked") or 0
        lines = [f"run {run}: {status} ({reason}); checked now: {sum(self.verdicts.values())}"
                 f" — {self.counts()}"]
        if self.errors:
            lines.append("not seen: " + ", ".join(f"{n} {k}" for k, n in
                                                  self.errors.most_common()))
        if left:
            lines.append(f"{left} targets unchecked: crawl again with the same options to "
                         "resume this run")
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()
