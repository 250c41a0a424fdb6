"""Crash safety: a crawl killed with SIGKILL half way, started again, completes the same run
with exactly one check per target (unique keys and idempotent writes, no clean shutdown)."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from crawler.runs import open_run
from db.migrate import upgrade
from db.models import Run
from db.session import Database
from tests.crawl_helpers import CrawlEnv, explain, site

TARGETS = 40


@pytest.mark.slow
def test_killed_crawl_resumes_its_run_without_duplicates_or_gaps(demoweb, tmp_path) -> None:
    env = CrawlEnv(tmp_path)
    urls = [demoweb.url(f"/slow?seconds=0.5&page={i}") for i in range(TARGETS)]
    env.load([site(f"s{n}.example", urls[n::4]) for n in range(4)])
    slow = {"CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
    command = env.xktracker("crawl", "--allow-private-addresses", "--browser", "never",
                            settings=slow)
    crawl = subprocess.Popen(command, env=env.environ(), stderr=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, text=True)
    assert crawl.stderr is not None
    stored = 0
    try:
        for line in crawl.stderr:  # a progress line is printed once a check is stored
            if line.startswith("["):
                stored += 1
            if stored >= 10:
                break
    finally:
        os.kill(crawl.pid, signal.SIGKILL)
        crawl.wait(timeout=30)
        crawl.stderr.close()
    assert crawl.returncode == -signal.SIGKILL
    (interrupted,) = env.runs()
    assert interrupted["status"] == "running"
    before = {url: rows for url, rows in env.checks().items()}
    assert 10 <= len(before) < TARGETS

    again = subprocess.run(command, env=env.environ(), capture_output=True, text=True,
                           timeout=120, check=False)
    assert again.returncode == 0, explain(again)
    # The run's end made the open-data files the dashboard serves.
    assert "open data:" in again.stderr
    assert (env.instance_dir / "exports" / "manifest.json").is_file()
    (run,) = env.runs()  # the same run, resumed
    assert run["id"] == interrupted["id"] and run["status"] == "finished"
    assert run["counts"]["resumed"] is True
    after = env.checks(run["id"])
    assert sorted(after) == sorted(urls)
    assert all(len(rows) == 1 for rows in after.values())
    for url, rows in before.items():  # what was stored before the kill was kept as it was
        assert after[url][0]["id"] == rows[0]["id"]
    assert {c[0]["verdict"] for c in after.values()} == {"listed"}


def test_resume_rules(tmp_path) -> None:
    """Same settings resume a recent unfinished run; other settings or an old one do not."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)
    now = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)
    daily = {"kind": "crawl", "browser": "auto", "resume_key": "a"}
    with Database(url) as database:
        with database.scope(write=True) as session:
            first, resumed = open_run(session, daily, now=now)
            assert not resumed
        with database.scope(write=True) as session:
            again, resumed = open_run(session, daily, now=now + timedelta(hours=2))
            assert resumed and again.id == first.id
            other, resumed = open_run(session, {**daily, "resume_key": "b"}, now=now)
            assert not resumed and other.id != first.id
            fresh, resumed = open_run(session, daily, now=now + timedelta(hours=2),
                                      resume=False)
            assert not resumed
        with database.scope(write=True) as session:
            tomorrow, resumed = open_run(session, daily, now=now + timedelta(days=1))
            assert not resumed
            statuses = {r.id: r.status for r in session.query(Run)}
        assert statuses[first.id] == "interrupted" and statuses[fresh.id] == "interrupted"
        assert statuses[tomorrow.id] == "running" and statuses[other.id] == "running"
