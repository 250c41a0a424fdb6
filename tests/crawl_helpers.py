"""Helpers for the crawl tests: a temporary database with a catalog, crawls in subprocesses.

A Twisted reactor cannot be restarted, so every crawl runs in its own process
(``python -m scrapy crawl countries`` from the repository root, or ``xktracker crawl``);
the test process only prepares the database and reads it afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from db.catalog import merge_catalog, parse_catalog
from db.migrate import upgrade
from db.models import Check, Run, Target
from db.session import Database

ROOT = Path(__file__).resolve().parent.parent

# A crawl of the local demo web: no politeness delays (it is ours, and one host), short
# timeouts and back-off so that the fault routes end quickly.
FAST: dict[str, str] = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "DOWNLOAD_TIMEOUT": "3",  # the slowest demo page answers in 2 s
    "RETRY_TIMES": "2",
    "XK_RETRY_BACKOFF": "0.1",
    "XK_RETRY_AFTER_MAX": "5",
    "XK_ALLOW_NETWORKS": "127.0.0.0/8",
    "XK_BROWSER_TIMEOUT": "10",
    "XK_BROWSER_PROBE_BUDGET": "5",
}


@dataclass
class CrawlEnv:
    """A database (a SQLite file unless ``database`` names another) and evidence folder for
    one test, and how to crawl them."""

    folder: Path
    database: str | None = None

    @property
    def url(self) -> str:
        return self.database or f"sqlite:///{self.folder / 'xk.sqlite3'}"

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    @property
    def instance_dir(self) -> Path:
        """Where a crawl publishes the open-data files and the dashboard's pages."""
        return self.folder / "instance"

    def environ(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("XKTRACKER_")}
        env.update(XKTRACKER_DATABASE_URL=self.url, XKTRACKER_DATA_DIR=str(self.data_dir),
                   XKTRACKER_INSTANCE_DIR=str(self.instance_dir), PYTHONWARNINGS="ignore")
        return env

    def load(self, sites: Sequence[Mapping[str, Any]]) -> None:
        upgrade(self.url)
        text = yaml.safe_dump({"sites": list(sites)}, allow_unicode=True, sort_keys=False)
        catalog = parse_catalog(text, filename="test.yaml", name="test.yaml",
                                allow_private=True)
        with Database(self.url) as database, database.scope(write=True) as session:
            merge_catalog(session, catalog)

    def scrapy(self, *args: str, settings: Mapping[str, str] | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``python -m scrapy crawl countries`` from the repository root (Scrapy's way)."""
        command = [sys.executable, "-m", "scrapy", "crawl", "countries", *args]
        for name, value in {**FAST, **(settings or {})}.items():
            command += ["-s", f"{name}={value}"]
        return subprocess.run(command, cwd=ROOT, env=self.environ(), capture_output=True,
                              text=True, timeout=timeout, check=False)

    def xktracker(self, *args: str, settings: Mapping[str, str] | None = None) -> list[str]:
        """The ``xktracker`` command line (to start with Popen), with the fast settings."""
        command = [sys.executable, "-m", "xktracker.cli", *args]
        if args and args[0] == "crawl":
            for name, value in {**FAST, **(settings or {})}.items():
                command += ["--set", f"{name}={value}"]
        return command

    def checks(self, run_id: int | None = None) -> dict[str, list[dict[str, Any]]]:
        """Stored checks by target URL (of one run, or all), oldest first."""
        with Database(self.url) as database, database.scope() as session:
            query = (select(Check, Target.url).join(Target, Check.target_id == Target.id)
                     .order_by(Check.id))
            if run_id is not None:
                query = query.where(Check.run_id == run_id)
            out: dict[str, list[dict[str, Any]]] = {}
            for check, url in session.execute(query).all():
                out.setdefault(url, []).append({
                    "id": check.id, "run_id": check.run_id, "verdict": check.verdict,
                    "reason": check.reason, "method": check.method, "report": check.report,
                    "html_sha256": check.html_sha256,
                    "screenshot_sha256": check.screenshot_sha256})
            return out

    def runs(self) -> list[dict[str, Any]]:
        with Database(self.url) as database, database.scope() as session:
            return [{"id": r.id, "status": r.status, "counts": r.counts, "settings": r.settings}
                    for r in session.scalars(select(Run).order_by(Run.id))]


def site(domain: str, urls: Iterable[str], **target: Any) -> dict[str, Any]:
    """A catalog site entry with one target per URL."""
    return {"name": domain, "domain": domain,
            "targets": [{"url": u, "kind": "signup", **target} for u in urls]}


def explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"rc={result.returncode}\nSTDOUT:\n{result.stdout[-3000:]}\nSTDERR:\n" \
           f"{result.stderr[-6000:]}"
