"""The database side of a crawl: which targets, which run, what is already stored.

Crash safety lives here. A crawl opens the newest *running* run made with the same settings
(same browser mode, sites, territory, recording) instead of a new one, and skips the targets
that already have a check in it; the unique key ``(run_id, target_id)`` and the idempotent
:func:`db.store.record_check` make a check written twice land once. So a crawl killed with
SIGKILL half way and started again completes the same run, with no duplicate and no gap,
without ever having shut down cleanly. A run is closed as ``finished`` only when every target
in its scope has a check; until then it stays ``running`` and the next crawl resumes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.evidence import EvidenceStore
from db.models import Check, Run, Site, Target
from db.session import Database
from db.store import finish_run, record_check, record_checks, start_run

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """What the spider needs of a target (plain data: safe to keep after the session)."""

    id: int
    url: str
    site: str
    kind: str
    browser: str
    steps: tuple[dict[str, Any], ...] = ()


# (run id, target id, report, evidence blobs): one check to store.
StoreEntry = tuple[int, int, dict[str, Any], Sequence[tuple[bytes, str]]]


@dataclass(slots=True)
class RunBinding:
    """The run a crawl writes into, and the targets already checked in it."""

    run_id: int
    resumed: bool
    done: frozenset[int] = frozenset()
    scope: tuple[int, ...] = field(default_factory=tuple)


def _spec(target: Target, domain: str) -> TargetSpec:
    return TargetSpec(id=target.id, url=target.url, site=domain, kind=target.kind,
                      browser=target.browser, steps=tuple(dict(s) for s in target.steps or ()))


def active_targets(session: Session, sites: Sequence[str] = ()) -> list[TargetSpec]:
    """Active targets of active sites (of ``sites``, by domain, when given), by id."""
    query = (select(Target, Site.domain).join(Site, Target.site_id == Site.id)
             .where(Target.active.is_(True), Site.active.is_(True)).order_by(Target.id))
    if sites:
        query = query.where(Site.domain.in_([s.lower() for s in sites]))
    return [_spec(t, domain) for t, domain in session.execute(query).all()]


def target_spec(session: Session, target_id: int) -> TargetSpec | None:
    """One target by id, active or not."""
    row = session.execute(select(Target, Site.domain).join(Site, Target.site_id == Site.id)
                          .where(Target.id == target_id)).first()
    return _spec(row[0], row[1]) if row is not None else None


def unknown_sites(session: Session, sites: Iterable[str]) -> list[str]:
    """The domains in ``sites`` that name no active site."""
    wanted = {s.lower() for s in sites}
    known = set(session.scalars(select(Site.domain).where(Site.domain.in_(wanted),
                                                          Site.active.is_(True))))
    return sorted(wanted - known)


def checked_targets(session: Session, run_id: int) -> set[int]:
    return set(session.scalars(select(Check.target_id).where(Check.run_id == run_id)))


def count_checks(session: Session, run_id: int) -> dict[str, Any]:
    """What a run stored: checks in all, by verdict and by method."""
    counts: dict[str, Any] = {"checks": 0, "verdicts": {}, "methods": {}}
    for verdict, method, n in session.execute(
            select(Check.verdict, Check.method, func.count()).where(Check.run_id == run_id)
            .group_by(Check.verdict, Check.method)).all():
        counts["checks"] += n
        counts["verdicts"][verdict] = counts["verdicts"].get(verdict, 0) + n
        counts["methods"][method] = counts["methods"].get(method, 0) + n
    counts["verdicts"] = dict(sorted(counts["verdicts"].items()))
    counts["methods"] = dict(sorted(counts["methods"].items()))
    return counts


def open_run(session: Session, settings: dict[str, Any], *, resume: bool = True,
             within: timedelta = timedelta(hours=20),
             now: datetime | None = None) -> tuple[Run, bool]:
    """The run to write into and whether it is resumed.

    Resumes the newest ``running`` run with the same ``resume_key`` started within
    ``within``; older unfinished runs with that key are closed as ``interrupted`` (a daily
    crawl must not keep adding to last week's run). Call it in a writing session.
    """
    now = now or datetime.now(UTC)
    key = settings.get("resume_key")
    candidates = [r for r in session.scalars(
        select(Run).where(Run.status == "running").order_by(Run.started_at.desc(),
                                                            Run.id.desc()))
        if key is not None and (r.settings or {}).get("resume_key") == key]
    chosen: Run | None = None
    for run in candidates:
        if resume and chosen is None and now - run.started_at <= within:
            chosen = run
        elif chosen is not None or now - run.started_at > within or not resume:
            finish_run(session, run.id, status="interrupted",
                       counts=count_checks(session, run.id))
            log.info("closed unfinished run %s as interrupted", run.id)
    if chosen is not None:
        return chosen, True
    return start_run(session, settings, started_at=now), False


class RunBook:
    """One crawl's access to the database and the evidence store (one engine per crawl)."""

    def __init__(self, database_url: str, data_dir: str | Any) -> None:
        self.database = Database(database_url)
        self.evidence = EvidenceStore(data_dir)
        self.sites: tuple[str, ...] = ()
        self.follow_catalog = False

    def close(self) -> None:
        self.database.dispose()

    def open(self, settings: dict[str, Any], *, resume: bool, within_hours: float,
             sites: Sequence[str]) -> tuple[RunBinding, list[TargetSpec]]:
        """Open (or resume) the run; return it with every target in its scope (those in
        ``binding.done`` are already checked)."""
        self.sites = tuple(sites)
        with self.database.scope(write=True) as session:
            run, resumed = open_run(session, settings, resume=resume,
                                    within=timedelta(hours=within_hours))
            targets = active_targets(session, sites)
            done = checked_targets(session, run.id) if resumed else set()
            binding = RunBinding(run_id=run.id, resumed=resumed, done=frozenset(done),
                                 scope=tuple(t.id for t in targets))
        return binding, targets

    def put_evidence(self, blobs: Sequence[tuple[bytes, str]]) -> None:
        for data, ext in blobs:
            self.evidence.put(data, ext)

    def store(self, run_id: int, target_id: int, report: dict[str, Any],
              blobs: Sequence[tuple[bytes, str]]) -> None:
        """Write the evidence, then the check (so no stored check names a missing file)."""
        self.put_evidence(blobs)
        with self.database.scope(write=True) as session:
            record_check(session, run_id=run_id, target_id=target_id, report=report)

    def store_many(self, entries: Sequence[StoreEntry]) -> list[Exception | None]:
        """Store several checks in one transaction (their evidence first); returns, per
        entry, ``None`` or why it was not stored. When the batch fails, each check is tried
        alone, so that one bad report costs only its own check."""
        try:
            for _, _, _, blobs in entries:
                self.put_evidence(blobs)
            with self.database.scope(write=True) as session:
                record_checks(session, [(run_id, target_id, report)
                                        for run_id, target_id, report, _ in entries])
            return [None] * len(entries)
        except Exception:
            if len(entries) == 1:
                raise
        problems: list[Exception | None] = []
        for entry in entries:
            try:
                self.store(*entry)
                problems.append(None)
            except Exception as exc:
                problems.append(exc)
        return problems

    def _scope(self, session: Session, binding: RunBinding) -> set[int]:
        """The targets the run must check: those of its start and, when several workers
        share the run (``follow_catalog``), any made active since, so that workers that
        joined before and after a catalog load agree on one scope."""
        if not self.follow_catalog:
            return set(binding.scope)
        return set(binding.scope) | {t.id for t in active_targets(session, self.sites)}

    def unchecked(self, binding: RunBinding) -> set[int]:
        """Targets of the run with no check yet (stored by this crawl or any other)."""
        with self.database.scope() as session:
            return self._scope(session, binding) - checked_targets(session, binding.run_id)

    def target(self, target_id: int) -> TargetSpec | None:
        with self.database.scope() as session:
            return target_spec(session, target_id)

    def close_run(self, binding: RunBinding, extra: dict[str, Any]) -> tuple[str, int]:
        """Finish the run if every target in its scope has a check; else leave it running
        for the next crawl to resume. Returns the run's status and the missing count.
        A run another worker already finished is left as that worker closed it."""
        with self.database.scope(write=True) as session:
            run = session.get(Run, binding.run_id)
            if run is not None and run.status == "finished":
                return "finished", 0
            checked = checked_targets(session, binding.run_id)
            missing = len(self._scope(session, binding) - checked)
            if missing:
                return "running", missing
            counts = {**count_checks(session, binding.run_id), **extra}
            finish_run(session, binding.run_id, status="finished", counts=counts)
        return "finished", 0
