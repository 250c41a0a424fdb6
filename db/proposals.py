"""Discovery's bookkeeping: the walks, the proposals they make, and moderation's decisions.

A proposal is a page discovery found with a country control, kept with its check report
(option lists included) and its evidence. It is never a target by itself: accepting it makes
the target (reviving one with the same URL), records the discovery's check as the target's
first check, in a run of its own, and retires the catalog target it was found to replace.
A page found again while its proposal waits refreshes that proposal; a rejected page is not
proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.errors import DbError
from db.models import TARGET_KINDS, Discovery, Proposal, Site, Target
from db.store import finish_run, record_check, start_run

# Page verdicts that come from a country control (a page worth proposing); ``error`` with
# ``unrendered`` is a control seen but not read: proposed too, for a browser to look again.
CONTROL_VERDICTS = frozenset({"listed", "listed_qualified", "wrong_code", "missing", "partial",
                              "restricted", "free_text"})
CATALOG = "submissions"  # sites made for an accepted proposal of an unknown domain


class ProposalError(DbError):
    """A decision that cannot be carried out (decided already, unknown proposal …)."""


def _now() -> datetime:
    return datetime.now(UTC)


def is_proposable(report: Mapping[str, Any]) -> bool:
    verdict, reason = report.get("verdict"), report.get("reason")
    return verdict in CONTROL_VERDICTS or (verdict == "error" and reason == "unrendered")


def start_discovery(session: Session, *, domain: str, start_url: str, origin: str,
                    site_id: int | None = None, trigger: str | None = None,
                    token: str | None = None, note: str | None = None,
                    status: str = "running", settings: Mapping[str, Any] | None = None
                    ) -> Discovery:
    """Record a walk about to start (``status="queued"``: one a worker will take)."""
    now = _now()
    discovery = Discovery(domain=domain[:253], start_url=start_url[:2048], origin=origin,
                          site_id=site_id, trigger=(trigger or None) and trigger[:500],
                          token=token, note=note, status=status, created_at=now,
                          claimed_at=now if status == "running" else None,
                          settings=dict(settings or {}))
    session.add(discovery)
    session.flush()
    return discovery


def finish_discovery(session: Session, discovery: Discovery, *, pages: int, requests: int,
                     seconds: float, stop_reason: str | None, error: str | None = None) -> None:
    discovery.status = "failed" if error else "done"
    discovery.finished_at = _now()
    discovery.pages, discovery.requests = pages, requests
    discovery.seconds = round(seconds, 3)
    discovery.stop_reason = (stop_reason or None) and str(stop_reason)[:32]
    discovery.error = (error or None) and error[:2000]


def _steps_key(steps: Iterable[Any]) -> str:
    import json

    return json.dumps(list(steps), sort_keys=True)


def record_proposals(session: Session, discovery: Discovery,
                     reports: Sequence[Mapping[str, Any]],
                     replaces: Mapping[str, int] | None = None) -> list[Proposal]:
    """Propose the pages of ``reports`` (``discover --json`` objects) that carry a control.

    ``replaces`` maps a target kind to the stopped target of that kind the page would replace
    (``"*"``: any kind). Pages already tracked as active targets are skipped; a page that
    waits as a proposal is refreshed with the new report; a rejected one stays rejected.
    """
    made: list[Proposal] = []
    tracked = set(session.scalars(select(Target.url).where(Target.active.is_(True))))
    for report in reports:
        if not is_proposable(report):
            continue
        url = str(report["url"])[:2000]
        steps = list(report.get("steps") or [])
        if url in tracked:
            continue
        earlier = [p for p in session.scalars(select(Proposal).where(Proposal.url == url))
                   if _steps_key(p.steps or []) == _steps_key(steps)]
        if any(p.status != "proposed" for p in earlier):
            continue
        kind = str(report.get("kind") or "other")
        values: dict[str, Any] = {
            "discovery_id": discovery.id, "site_id": discovery.site_id,
            "domain": discovery.domain, "kind": kind if kind in TARGET_KINDS else "other",
            "steps": steps, "via": report.get("via"),
            "method": "browser" if report.get("method") == "browser" else "static",
            "verdict": str(report["verdict"])[:32],
            "reason": (str(report["reason"])[:64] if report.get("reason") else None),
            "found_at": _now(), "report": dict(report),
            "html_sha256": (report.get("evidence") or {}).get("html_sha256"),
            "screenshot_sha256": (report.get("evidence") or {}).get("screenshot"),
        }
        if replaces:
            values["replaces_target_id"] = replaces.get(kind, replaces.get("*"))
        if earlier:
            proposal = earlier[0]
            for key, value in values.items():
                setattr(proposal, key, value)
        else:
            proposal = Proposal(url=url, status="proposed", **values)
            session.add(proposal)
        made.append(proposal)
    session.flush()
    return made


def _site_for(session: Session, proposal: Proposal) -> Site:
    if proposal.site is not None:
        return proposal.site
    site = session.execute(select(Site).where(Site.domain == proposal.domain)
                           ).scalar_one_or_none()
    if site is None:
        site = Site(domain=proposal.domain, name=proposal.domain, active=True, catalog=CATALOG)
        session.add(site)
        session.flush()
    proposal.site_id = site.id
    return site


def accept_proposal(session: Session, proposal_id: int, moderator: str, *,
                    kind: str | None = None) -> Target:
    """Make the proposal a target (see the module's docstring); returns it."""
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise ProposalError(f"no proposal {proposal_id}")
    if proposal.status != "proposed":
        raise ProposalError(f"proposal {proposal_id} was {proposal.status} already")
    chosen = kind or proposal.kind
    if chosen not in TARGET_KINDS:
        raise ProposalError(f"{chosen!r} is not a target kind")
    site = _site_for(session, proposal)
    site.active = True
    browser = "always" if proposal.steps or proposal.method == "browser" else "auto"
    target = session.execute(select(Target).where(Target.url == proposal.url)
                             ).scalar_one_or_none()
    if target is None:
        target = Target(site=site, url=proposal.url, kind=chosen, browser=browser,
                        steps=list(proposal.steps or []), active=True)
        session.add(target)
    else:
        target.site, target.kind, target.browser = site, chosen, browser
        target.steps, target.active = list(proposal.steps or []), True
    session.flush()
    run = start_run(session, {"kind": "discovery", "proposal": proposal.id,
                              "discovery": proposal.discovery_id, "accepted_by": moderator})
    # The discovery's check of the page, with the page as its source (the walk's start URL
    # stays in the proposal).
    record_check(session, run_id=run.id, target_id=target.id,
                 report={**proposal.report, "source": proposal.url})
    finish_run(session, run.id)
    if proposal.replaces_target_id and proposal.replaces_target_id != target.id:
        replaced = session.get(Target, proposal.replaces_target_id)
        if replaced is not None:
            replaced.active = False
    proposal.status, proposal.target_id = "accepted", target.id
    proposal.decided_at, proposal.decided_by = _now(), moderator
    return target


def reject_proposal(session: Session, proposal_id: int, moderator: str) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise ProposalError(f"no proposal {proposal_id}")
    if proposal.status != "proposed":
        raise ProposalError(f"proposal {proposal_id} was {proposal.status} already")
    proposal.status = "rejected"
    proposal.decided_at, proposal.decided_by = _now(), moderator
    return proposal
