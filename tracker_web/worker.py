"""Background checks: submitted sites and moderators' re-checks, never inside a request.

Jobs are rows (``submissions`` and ``recheck_requests`` with status ``queued``), so any
number of web processes, or a separate ``xktracker worker``, share one queue. A worker
claims a job with a conditional ``UPDATE … WHERE status = 'queued'`` (exactly one claimant
wins on SQLite and PostgreSQL alike) and a job whose worker died is claimed again after
``CHECK_STALE_SECONDS``. A submitted address is resolved here, never in the web request: one
that points at a private address, does not resolve or uses a port that is not a web port is
marked ``refused`` with the guard's reason; every fetch then goes through the address guard
again, so one that redirects to a private address is refused too.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import and_, or_, select, update

from crawler.checker import Checker, CheckOptions, build_report
from crawler.errors import GuardError
from crawler.fetch.guard import EgressPolicy, Resolver
from crawler.fetch.outcome import FetchOutcome
from db.evidence import EvidenceStore
from db.models import Discovery, RecheckRequest, Submission, Target
from db.session import Database
from db.store import finish_run, record_check, start_run

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0
# A check that ended on one of these was refused by the address guard, not judged.
REFUSALS = frozenset({"private_address", "bad_url"})


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    browser: str = "auto"
    timeout: float = 20.0
    browser_path: str | None = None
    # Extra networks a fetch may reach (tests: the loopback demo web). Empty in production.
    allow_networks: tuple[str, ...] = ()
    # How names are resolved (tests answer from a table); None: the system's resolver.
    resolver: Resolver | None = None
    stale_after: timedelta = timedelta(minutes=10)
    # Discovery of a site a citizen gave (tracker_web.discovery_jobs): pages at most, and
    # seconds between two requests to the site (None: the crawler's pacing; read when a walk
    # starts, so a web process does not load Scrapy to start).
    discovery_pages: int = 30
    discovery_delay: float | None = None

    @classmethod
    def from_config(cls, config: Any) -> WorkerOptions:
        return cls(browser=str(config["CHECK_BROWSER"]), timeout=float(config["CHECK_TIMEOUT"]),
                   browser_path=config.get("BROWSER_PATH"),
                   allow_networks=tuple(config.get("SUBMISSION_ALLOW_NETWORKS") or ()),
                   stale_after=timedelta(seconds=int(config["CHECK_STALE_SECONDS"])),
                   discovery_pages=int(config.get("DISCOVERY_MAX_PAGES", 30)),
                   discovery_delay=(float(config["DISCOVERY_DELAY"])
                                    if config.get("DISCOVERY_DELAY") is not None else None))


class EvidenceChecker(Checker):
    """The command-line checker, keeping its evidence in the content-addressed store and the
    full option lists in the report (as the crawler does), so a check made here can join the
    history like any other."""

    def __init__(self, options: CheckOptions, store: EvidenceStore) -> None:
        super().__init__(options)
        self.store = store

    def _report(self, source: str, checked_at: str, outcome: FetchOutcome,
                concluded: Any = None, note: str | None = None) -> dict[str, Any]:
        report = build_report(source, checked_at, outcome, concluded, self.options.territory,
                              note=note, with_options=True)
        evidence = report["evidence"]
        if outcome.html is not None and evidence.get("html_sha256"):
            # The decoded document is what was judged; its hash names the stored file.
            evidence["html_sha256"] = self.store.put(outcome.html.encode("utf-8"), "html")
        if outcome.screenshot_png:
            evidence["screenshot"] = self.store.put(outcome.screenshot_png, "png")
        return report


@dataclass(slots=True)
class CheckWorker:
    database: Database
    store: EvidenceStore
    options: WorkerOptions = field(default_factory=WorkerOptions)

    def _check(self, url: str, *, browser: str | None = None,
               steps: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
        mode = browser if browser in ("auto", "always", "never") else self.options.browser
        if self.options.browser == "never":
            mode = "never"  # the instance has no browser to offer
        options = CheckOptions(browser=mode or "auto", timeout=self.options.timeout,
                               policy=self.policy(), browser_path=self.options.browser_path,
                               steps=tuple(steps))
        with EvidenceChecker(options, self.store) as checker:
            return checker.check(url)

    def policy(self) -> EgressPolicy:
        """Where a check may connect: public addresses on web ports (plus the networks a
        test instance lets through)."""
        return EgressPolicy.build(allow_networks=self.options.allow_networks,
                                  resolver=self.options.resolver)

    def claim(self, model: type[Submission] | type[RecheckRequest] | type[Discovery],
              busy: str = "checking") -> int | None:
        """Take the oldest queued job of ``model`` (or one whose worker stopped answering
        ``stale_after`` ago); an update guarded by the same condition makes two workers
        never take the same job."""
        now = datetime.now(UTC)
        waiting = or_(model.status == "queued",
                      and_(model.status == busy,
                           model.claimed_at < now - self.options.stale_after))
        with self.database.scope(write=True) as session:
            job_id = session.execute(select(model.id).where(waiting)
                                     .order_by(model.created_at, model.id).limit(1)
                                     ).scalar_one_or_none()
            if job_id is None:
                return None
            won = session.execute(update(model).where(model.id == job_id, waiting)
                                  .values(status=busy, claimed_at=now))
            return job_id if won.rowcount == 1 else None  # type: ignore[attr-defined]

    def run_submission(self, submission_id: int) -> None:
        with self.database.scope() as session:
            found = session.get(Submission, submission_id)
            if found is None:
                return
            url = found.url
        refused = False
        try:
            self.policy().guard_url(url)  # the request judged its form; resolve it here
        except GuardError as exc:
            report = {"verdict": "error", "reason": exc.reason, "fields": []}
            refused = True
        else:
            try:
                report = self._check(url)
            except Exception as exc:  # a crash of the checker is a state, never a lost job
                log.exception("check of submission %s failed", submission_id)
                report = {"verdict": "error", "reason": "check_failed",
                          "detail": type(exc).__name__, "fields": []}
        refused = refused or (report.get("verdict") == "error"
                              and report.get("reason") in REFUSALS)
        with self.database.scope(write=True) as session:
            submission = session.get(Submission, submission_id)
            if submission is None or submission.status != "checking":
                return
            submission.status = "refused" if refused else "checked"
            submission.verdict = str(report.get("verdict") or "error")[:32]
            submission.reason = (str(report["reason"])[:64] if report.get("reason") else None)
            submission.report = report
            submission.checked_at = datetime.now(UTC)

    def run_recheck(self, request_id: int) -> None:
        with self.database.scope() as session:
            job = session.get(RecheckRequest, request_id)
            target = session.get(Target, job.target_id) if job else None
            if job is None or target is None:
                return
            url, browser, steps = target.url, target.browser, list(target.steps or ())
            target_id, who = target.id, job.requested_by
        try:
            report = self._check(url, browser=browser, steps=steps)
            with self.database.scope(write=True) as session:
                run = start_run(session, {"kind": "recheck", "target": target_id,
                                          "requested_by": who, "request": request_id})
                check = record_check(session, run_id=run.id, target_id=target_id,
                                     report=report)
                finish_run(session, run.id)
                job = session.get(RecheckRequest, request_id)
                if job is not None:
                    job.status, job.check_id = "done", check.id
                    job.finished_at = datetime.now(UTC)
        except Exception as exc:
            log.exception("re-check %s failed", request_id)
            with self.database.scope(write=True) as session:
                job = session.get(RecheckRequest, request_id)
                if job is not None:
                    job.status, job.error = "failed", type(exc).__name__
                    job.finished_at = datetime.now(UTC)

    def run_one(self) -> bool:
        """Claim and do one job (submissions, then re-checks, then discoveries); ``False``
        when the queue is empty."""
        submission = self.claim(Submission)
        if submission is not None:
            self.run_submission(submission)
            return True
        recheck = self.claim(RecheckRequest)
        if recheck is not None:
            self.run_recheck(recheck)
            return True
        from tracker_web import discovery_jobs

        return discovery_jobs.run_one(self)

    def run_pending(self, limit: int = 100) -> int:
        """Do queued jobs until none is left (or ``limit``); how many were done."""
        done = 0
        while done < limit and self.run_one():
            done += 1
        return done

    def loop(self, stop: threading.Event, wake: threading.Event,
             poll: float = POLL_SECONDS) -> None:
        while not stop.is_set():
            try:
                busy = self.run_one()
            except Exception:  # the database may be briefly away: keep the thread alive
                log.exception("check worker error")
                busy = False
            if not busy:
                wake.wait(poll)
                wake.clear()


class WorkerPool:
    """``CHECK_WORKERS`` daemon threads per web process, started on the first request (so a
    pre-forking server starts them in each worker process, after the fork)."""

    def __init__(self, worker: CheckWorker, threads: int) -> None:
        self.worker = worker
        self.threads = threads
        self.stop = threading.Event()
        self.wake_event = threading.Event()
        self._started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            if self._started or self.threads <= 0:
                return
            self._started = True
            for n in range(self.threads):
                threading.Thread(target=self.worker.loop, args=(self.stop, self.wake_event),
                                 name=f"xk-check-{n}", daemon=True).start()

    def wake(self) -> None:
        self.wake_event.set()

    def shutdown(self) -> None:
        self.stop.set()
        self.wake_event.set()


def init_app(app: Flask) -> None:
    from tracker_web.database import get_db

    with app.app_context():
        worker = CheckWorker(get_db(), app.extensions["xktracker_evidence"],
                             WorkerOptions.from_config(app.config))
    threads = int(app.config["CHECK_WORKERS"]) if app.config["START_WORKERS"] else 0
    pool = WorkerPool(worker, threads)
    app.extensions["xktracker_worker"] = pool

    @app.before_request
    def start_workers() -> None:
        if not pool._started and pool.threads:
            pool.start()


def pool_of(app: Flask) -> WorkerPool:
    found: WorkerPool = app.extensions["xktracker_worker"]
    return found
