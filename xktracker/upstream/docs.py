"""The generated tables of docs/upstream-lists.md, rendered from the JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xktracker.upstream.build import DOCS

START, END = "<!-- table:start -->", "<!-- table:end -->"


def _ranges(segments: list[list[str]]) -> str:
    return ", ".join(a if a == b else f"{a} to {b}" for a, b in segments)


def _kosovo(entry: dict[str, Any]) -> str:
    kosovo = entry["kosovo"]
    releases = entry["releases"]
    if kosovo["in_every_release_read"]:
        return "in every release read"
    if kosovo["since"]:
        text = f"from {kosovo['since']}"
        if kosovo.get("code_since"):
            text += f" (at +383 from {kosovo['code_since']})"
        return text
    if kosovo["in_newest"]:
        return f"in {releases['newest']}"
    if kosovo.get("declared_since"):
        return f"no (upstream: from {kosovo['declared_since']})"
    return "**no**"


def render(doc: dict[str, Any]) -> str:
    rows = ["| Library | Ecosystem | Kind | Releases listed / read | Kosovo | Distinct lists |",
            "| --- | --- | --- | --- | --- | --- |"]
    for entry in doc["libraries"]:
        releases = entry["releases"]
        read = releases["read"]
        span = f"{read[0]} to {read[-1]}" if len(read) > 1 else (read[0] if read else "none")
        rows.append(f"| {entry['name']} | {entry['ecosystem']} | {entry['kind']} | "
                    f"{releases['listed']} / {len(read)} ({span}) | {_kosovo(entry)} | "
                    f"{len(entry['variants'])} |")
    rows.append("")
    rows.append("Releases of each list (a rendering other than the default is named):")
    rows.append("")
    for entry in doc["libraries"]:
        parts = []
        for variant in entry["variants"]:
            label = f"{variant['rendering']}: " if variant["rendering"] else ""
            xk = "with XK" if variant["kosovo"] else "without XK"
            parts.append(f"{label}{_ranges(variant['segments'])} ({xk})")
        rows.append(f"* **{entry['name']}**: " + "; ".join(parts) + ".")
        if entry["releases"]["unreadable"]:
            rows.append(f"  Not read (no list in a layout the reader knows): "
                        f"{', '.join(entry['releases']['unreadable'])}.")
    rows.append("")
    rows.append("Not reachable from the build machine: " + "; ".join(doc["not_reached"]) + ".")
    return "\n".join(rows)


def _splice(text: str, table: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"{DOCS} lacks the {START} / {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table}\n{END}{tail}"


def write(doc: dict[str, Any], path: Path = DOCS) -> None:
    path.write_text(_splice(path.read_text(encoding="utf-8"), render(doc)), encoding="utf-8")


def up_to_date(doc: dict[str, Any], path: Path = DOCS) -> bool:
    text = path.read_text(encoding="utf-8")
    return _splice(text, render(doc)) == text
