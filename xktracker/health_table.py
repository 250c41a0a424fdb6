"""``xktracker catalog health`` for people: per site, why it needs discovery, the targets
that stopped answering and discovery's proposals beside them."""

from __future__ import annotations

from collections.abc import Sequence

from db.health import SiteHealth
from foundation.text import safe


def _when(value: object) -> str:
    return str(value)[:16].replace("T", " ") if value else "never"


def health_text(sites: Sequence[SiteHealth]) -> str:
    if not sites:
        return "every active site has targets that answer: nothing needs discovery"
    lines: list[str] = []
    for site in sites:
        lines.append(f"{safe(site.domain)} ({safe(site.name, 60)}): {safe(site.trigger)}")
        for trouble in site.troubles:
            lines.append(f"  stopped   {trouble.kind:<9} {safe(trouble.url, 90)}  "
                         f"({', '.join(trouble.problems)})")
        for proposal in site.proposals:
            verdict = proposal.verdict + (f"/{proposal.reason}" if proposal.reason else "")
            steps = f" +{len(proposal.steps)} steps" if proposal.steps else ""
            lines.append(f"  {proposal.status:<9} {proposal.kind:<9} {safe(proposal.url, 90)}  "
                         f"{verdict}{steps}  via {safe(proposal.via or '-', 60)}  "
                         f"[proposal {proposal.id}]")
        if not site.proposals:
            lines.append(f"  no proposal yet; discovery starts at {safe(site.start_url, 90)} "
                         f"(last run: {_when(site.last_discovery)})")
        lines.append("")
    waiting = sum(1 for s in sites for p in s.proposals if p.status == "proposed")
    lines.append(f"{len(sites)} site(s) need discovery; {waiting} proposal(s) wait for a "
                 "decision (`xktracker crawl --discover` looks for more)")
    return "\n".join(lines)
