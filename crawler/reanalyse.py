"""Re-analysis: judge stored evidence again with this version's engine, into a new run.

A crawl keeps the page as it was fetched (the raw static body, or the browser's rendered DOM),
the same-origin frames and the controls read by opening custom dropdowns. Running
:func:`crawler.checker.conclude` over them again applies a newer ``checks`` to old pages
without fetching anything: history stays append-only (a new run, each check keeping the
time the page was seen, its method, and a note saying it was re-analysed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

from sqlalchemy import select

from crawler.checker import build_report, conclude
from crawler.errors import NothingToReanalyse
from crawler.fetch.charset import decode_html
from crawler.fetch.content import judge_status
from crawler.fetch.outcome import FetchOutcome
from crawler.runs import count_checks
from db.errors import EvidenceNotFound
from db.evidence import EvidenceStore
from db.models import Check, Run
from db.session import Database
from db.store import finish_run, record_check, start_run


def engine_version() -> str:
    try:
        return metadata.version("xktracker")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(slots=True)
class Reanalysis:
    source_run: int
    new_run: int
    checks: int = 0
    reread: int = 0
    changed: list[tuple[str, str, str]] = field(default_factory=list)  # (url, before, after)


def _outcome(report: dict[str, Any], evidence: EvidenceStore) -> FetchOutcome | None:
    """The fetch outcome rebuilt from a stored report and its evidence (``None`` when no
    document was kept: errors and blocks are copied as they were)."""
    stored = report.get("evidence") or {}
    sha = stored.get("html_sha256")
    if not sha:
        return None
    try:
        data = evidence.get(sha)
    except EvidenceNotFound:
        return None
    method = report.get("method") or "static"
    out = FetchOutcome(requested_url=str(report.get("source")), method=method,
                       final_url=report.get("final_url"), status=report.get("http_status"),
                       content_type=report.get("content_type"), body_sha256=sha,
                       detail=report.get("detail"))
    out.redirects = list(report.get("redirects") or [])
    out.elapsed_ms = float(report.get("elapsed_ms") or 0.0)
    if method == "static":
        out.html, out.encoding = decode_html(data, out.content_type)
    else:
        out.html, out.encoding = data.decode("utf-8", errors="replace"), "utf-8"
    if out.status is not None:
        judge_status(out, int(out.status))
        out.detail = report.get("detail")
    for frame in stored.get("frames") or ():
        try:
            out.frames.append((frame["url"], evidence.get(frame["sha256"]).decode("utf-8")))
        except (EvidenceNotFound, KeyError):
            continue
    if stored.get("controls_sha256"):
        try:
            out.extra_controls = json.loads(evidence.get(stored["controls_sha256"]))
        except EvidenceNotFound:
            pass
    return out


def reanalyse_report(report: dict[str, Any], evidence: EvidenceStore,
                     note: str) -> tuple[dict[str, Any], bool]:
    """A new report for a stored one, and whether its document was read again."""
    outcome = _outcome(report, evidence)
    if outcome is None:
        copied = dict(report)
        copied["notes"] = [*report.get("notes", []), note + " (no stored document: copied)"]
        return copied, False
    territory = str(report.get("territory") or "XK")
    fresh = build_report(str(report.get("source")), str(report.get("checked_at")), outcome,
                         conclude(outcome, territory), territory, note=note, with_options=True)
    fresh["evidence"] = dict(report.get("evidence") or {})
    for key in ("target_id", "site", "redirects"):
        if key in report:
            fresh[key] = report[key]
    return fresh, True


def default_run(session: Any) -> int:
    """The newest finished crawl."""
    for run in session.scalars(select(Run).where(Run.status == "finished")
                               .order_by(Run.started_at.desc(), Run.id.desc())):
        if (run.settings or {}).get("kind", "crawl") == "crawl":
            return int(run.id)
    raise NothingToReanalyse("no finished crawl to re-analyse yet: run `xktracker crawl`")


def reanalyse_run(database: Database, evidence: EvidenceStore,
                  run_id: int | None = None) -> Reanalysis:
    """Re-judge every check of ``run_id`` (default: the newest finished crawl) into a new,
    finished run. One transaction per check, like a crawl."""
    with database.scope(write=True) as session:
        if run_id is None:
            run_id = default_run(session)
        elif session.get(Run, run_id) is None:
            raise NothingToReanalyse(f"there is no run {run_id}")
        engine = engine_version()
        new = start_run(session, {"kind": "reanalysis", "source_run": run_id,
                                  "engine": engine})
        result = Reanalysis(source_run=run_id, new_run=new.id)
        check_ids = list(session.scalars(select(Check.id).where(Check.run_id == run_id)
                                         .order_by(Check.id)))
    note = f"re-analysed from run {run_id} with engine {engine}"
    for check_id in check_ids:
        with database.scope(write=True) as session:
            check = session.get(Check, check_id)
            assert check is not None
            report = dict(check.report or {})
            report.setdefault("source", check.target.url)
            fresh, reread = reanalyse_report(report, evidence, note)
            fresh["reanalysed_from"] = {"check_id": check.id, "run_id": run_id}
            record_check(session, run_id=result.new_run, target_id=check.target_id,
                         report=fresh)
            result.checks += 1
            result.reread += int(reread)
            if fresh["verdict"] != check.verdict:
                result.changed.append((check.target.url, check.verdict, fresh["verdict"]))
    with database.scope(write=True) as session:
        finish_run(session, result.new_run, status="finished",
                   counts={**count_checks(session, result.new_run), "source_run": run_id,
                           "reread": result.reread, "changed": len(result.changed)})
    return result
