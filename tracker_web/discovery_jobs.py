"""The worker's discovery jobs: a site a citizen gave (or a moderator asked about) walked in
the background, its findings kept as proposals for moderation.

Jobs are ``discoveries`` rows with status ``queued``; a worker claims one with a conditional
update (one claimant wins), walks the site with the checker's fetchers (the address guard on
every hop, no private address in production), and keeps the findings with their evidence. A
claim whose worker died is taken again after the worker's stale time.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from crawler.checker import Checker
from crawler.discover.keep import keep_findings
from crawler.discover.run import DEFAULT_DELAY, DiscoverOptions, SiteDiscovery
from crawler.errors import GuardError
from db.health import catalog_health
from db.models import Discovery

if TYPE_CHECKING:
    from tracker_web.worker import CheckWorker

log = logging.getLogger(__name__)


def run(worker: CheckWorker, discovery_id: int) -> None:
    """Walk the site of one claimed discovery and keep what it found."""
    with worker.database.scope() as session:
        job = session.get(Discovery, discovery_id)
        if job is None:
            return
        start, site_id = job.start_url, job.site_id
        replaces: dict[str, int] = {}
        if site_id is not None:
            health = catalog_health(session)
            replaces = next((h.replaces() for h in health if h.site_id == site_id), {})
    opts = worker.options
    mode = "never" if opts.browser == "never" else "auto"
    options = DiscoverOptions(max_pages=opts.discovery_pages, browser=mode,
                              timeout=opts.timeout,
                              delay=(DEFAULT_DELAY if opts.discovery_delay is None
                                     else opts.discovery_delay),
                              allow_private=False, allow_networks=opts.allow_networks,
                              browser_path=opts.browser_path, with_options=True)
    error = None
    walk = None
    try:
        worker.policy().guard_url(start)  # the request judged its form; resolve it here
    except GuardError as exc:
        error = exc.reason  # a private address, a name that does not resolve, a bad port
    else:
        try:
            with Checker(options.check_options()) as checker:
                walk = SiteDiscovery(start, checker, options)
                walk.run()
        except Exception as exc:  # a crash of the walk is a state, never a lost job
            log.exception("discovery %s failed", discovery_id)
            error = type(exc).__name__
    with worker.database.scope(write=True) as session:
        job = session.get(Discovery, discovery_id)
        if job is None or job.status != "running":
            return
        if walk is None:
            job.status, job.error, job.finished_at = "failed", error, datetime.now(UTC)
            return
        result = walk.result()
        keep_findings(session, worker.store, job, result.findings, pages=result.stats.pages,
                      requests=result.stats.requests, seconds=result.seconds,
                      stop_reason=result.stats.stop_reason, replaces=replaces, error=error)


def run_one(worker: CheckWorker) -> bool:
    """Claim and do one discovery; ``False`` when none waits."""
    job_id = worker.claim(Discovery, busy="running")
    if job_id is None:
        return False
    run(worker, job_id)
    return True
