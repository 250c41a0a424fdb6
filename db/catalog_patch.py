"""A patch for the catalog file from discovery's proposals (``xktracker catalog health``).

Pure text work: the file is edited line by line, keeping its comments and layout, and the
result is shown as a unified diff a maintainer can read, apply with ``git apply`` or copy by
hand. A proposal that replaces a stopped target takes that target's place; one for a site
with nothing to replace is added to the site's ``targets:``. Sites that are not in the file
(a citizen's submission) get a YAML block to paste instead.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from db.health import ProposalInfo, SiteHealth

_PLAIN = re.compile(r"[A-Za-z0-9:/._~%?&=+,;@!$()*-]+")
_ITEM_URL = re.compile(r"^(\s*)-\s+url:\s*(.+?)\s*(#.*)?$")


@dataclass(frozen=True, slots=True)
class CatalogPatch:
    diff: str  # a unified diff of the file ('' when the file needs no change)
    extra: str  # YAML blocks for sites the file does not list
    text: str  # the file as the diff leaves it


def _scalar(text: str) -> str:
    """A YAML scalar: plain when safe, else a double-quoted (JSON) string."""
    return text if _PLAIN.fullmatch(text) and not text.startswith(("-", "?", ":")) \
        else json.dumps(text, ensure_ascii=False)


def target_block(proposal: ProposalInfo, indent: str, browser: str | None = None) -> list[str]:
    """The catalog entry of a proposal, as lines (``- url: …`` at ``indent``)."""
    mode = browser or ("always" if proposal.steps or proposal.method == "browser" else "auto")
    lines = [f"{indent}- url: {_scalar(proposal.url)}\n",
             f"{indent}  kind: {proposal.kind}\n",
             f"{indent}  browser: {mode}\n"]
    if proposal.steps:
        lines.append(f"{indent}  steps:\n")
        for step in proposal.steps:
            ((verb, arg),) = step.items()
            value = (f"[{', '.join(json.dumps(str(a), ensure_ascii=False) for a in arg)}]"
                     if isinstance(arg, list | tuple) else json.dumps(str(arg),
                                                                     ensure_ascii=False))
            lines.append(f"{indent}    - {{{verb}: {value}}}\n")
    found = proposal.found_at.date().isoformat()
    note = f"found by xktracker discover on {found} ({proposal.verdict})"
    if proposal.via:
        note += f" via {proposal.via}"
    lines.append(f"{indent}  notes: {json.dumps(note[:300], ensure_ascii=False)}\n")
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _block_end(lines: list[str], start: int, indent: int) -> int:
    """The index after a block that starts at ``start`` and holds lines indented deeper than
    ``indent`` (trailing blank lines and comments stay outside)."""
    end = start + 1
    last = start
    while end < len(lines):
        line = lines[end]
        if line.strip() and not line.lstrip().startswith("#"):
            if _indent(line) <= indent:
                break
            last = end
        end += 1
    return last + 1


def _site_line(lines: list[str], domain: str) -> int | None:
    pattern = re.compile(rf"^\s*-?\s*domain:\s*['\"]?{re.escape(domain)}['\"]?\s*(#.*)?$")
    for i, line in enumerate(lines):
        if pattern.match(line):
            return i
    return None


def _replace(lines: list[str], old_url: str, proposal: ProposalInfo) -> bool:
    for i, line in enumerate(lines):
        match = _ITEM_URL.match(line)
        if match and _unquote(match.group(2)) == old_url:
            indent = len(match.group(1))
            end = _block_end(lines, i, indent)
            lines[i:end] = target_block(proposal, match.group(1))
            return True
    return False


def _add(lines: list[str], domain: str, proposal: ProposalInfo) -> bool:
    at = _site_line(lines, domain)
    if at is None:
        return False
    key_indent = _indent(lines[at]) + (2 if lines[at].lstrip().startswith("-") else 0)
    site_end = _block_end(lines, at, key_indent - 1)
    for i in range(at, site_end):
        if re.match(r"^\s*targets:\s*(\[\s*\])?\s*(#.*)?$", lines[i]) and \
                _indent(lines[i]) == key_indent:
            if "[" in lines[i]:
                lines[i] = " " * key_indent + "targets:\n"
            end = _block_end(lines, i, key_indent)
            lines[end:end] = target_block(proposal, " " * (key_indent + 2))
            return True
    lines[site_end:site_end] = [" " * key_indent + "targets:\n"] + target_block(
        proposal, " " * (key_indent + 2))
    return True


def catalog_patch(text: str, filename: str, sites: Sequence[SiteHealth]) -> CatalogPatch:
    """The diff that puts each site's waiting proposals into the catalog file ``text``."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    extra: list[str] = []
    for site in sites:
        waiting = [p for p in site.proposals if p.status == "proposed"]
        if not waiting:
            continue
        urls = {t.target_id: t.url for t in site.troubles}
        replaced: set[int] = set()
        missing: list[ProposalInfo] = []
        for proposal in waiting:
            old = proposal.replaces_target_id
            if old in urls and old not in replaced and _replace(lines, urls[old], proposal):
                replaced.add(old)
            elif not _add(lines, site.domain, proposal):
                missing.append(proposal)
        if missing:
            extra.append(f"  - name: {_scalar(site.name)}\n    domain: {site.domain}\n"
                         "    targets:\n")
            for proposal in missing:
                extra.extend(target_block(proposal, "      "))
    diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), lines,
                                        f"a/{filename}", f"b/{filename}"))
    return CatalogPatch(diff=diff, extra="".join(extra), text="".join(lines))
