"""What travels with the exported data: the Frictionless descriptor, the licence, the citation
and the methodology note.

Kept apart from the row streaming in :mod:`reports.export` because these are small documents
built once per export, after the CSV (the descriptor carries the CSV's size and hash, so it can
only be written when the rows are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import yaml

from reports.columns import COLUMNS, Column

PACKAGE_NAME = "xktracker-field-checks"
CSV_NAME = "field_checks.csv"
RESOURCE_NAME = "field-checks"
LICENCE_ID = "ODbL-1.0"
LICENCE_TITLE = "Open Data Commons Open Database License 1.0"
LICENCE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
METHODOLOGY_PATH = Path(__file__).resolve().parent.parent / "docs" / "methodology.md"

# Used when the package is installed without the docs folder: enough to read the data right.
_METHODOLOGY_SUMMARY = """\
# Methodology (summary)

Each row is one country control ("field") seen on one page ("target") in one check. A page's
country controls are read from its HTML, or from a browser when the list is drawn by script.
A list is a country list because of its options (CLDR names in every locale, ISO codes, dial
codes), never because of its name.

- listed: Kosovo has an option of its own; listed_qualified: under another state or a
  resolution ("Kosovo (Serbia)"); wrong_code: a dial-code list offers Kosovo with a code other
  than +383; missing: a world-wide list (at least 150 countries) without Kosovo; restricted: a
  shorter list without Kosovo (not an exclusion); free_text: a text box.
- error and blocked pages: the form was not seen. They are never counted as missing, and never
  overwrite the last conclusive verdict of a page.
- A fingerprint names the upstream library a list matches; it is a hint, never evidence.

The full methodology is docs/methodology.md in the xktracker source.
"""


def engine_version() -> str:
    try:
        return metadata.version("xktracker")
    except metadata.PackageNotFoundError:
        return "unknown"


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class PackageInfo:
    """Facts about one export that the documents repeat (when, by which version, which rows)."""

    created: datetime
    filters: dict[str, str] = field(default_factory=dict)
    version: str = field(default_factory=engine_version)


def _schema_field(column: Column) -> dict[str, Any]:
    spec: dict[str, Any] = {"name": column.name, "type": column.type,
                            "description": column.description, "example": column.example}
    if column.type == "datetime":
        # ISO 8601 with the UTC designator; fractions of a second only when there are some.
        spec["format"] = "default"
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    if constraints:
        spec["constraints"] = constraints
    return spec


def table_schema() -> dict[str, Any]:
    """The Frictionless Table Schema of the flat export (every column, typed, described)."""
    return {"fields": [_schema_field(c) for c in COLUMNS], "missingValues": [""]}


def _filters_text(filters: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in filters.items()) if filters else "none (full history)"


def descriptor(info: PackageInfo, *, rows: int, size: int, sha256: str) -> dict[str, Any]:
    """``datapackage.json``: a tabular Data Package with one CSV resource."""
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": "xktracker: Kosovo in websites' country selectors, check history",
        "description": (
            "One row per country control seen in each check of each tracked page (a check that "
            "found no control, an error or a block still has one row with empty field columns)."
            " Text cells that began with =, +, -, @, tab or carriage return carry a leading "
            "apostrophe (spreadsheet formula-injection guard); the JSONL and SQLite exports "
            f"are exact. Filters: {_filters_text(info.filters)}. See methodology.md."),
        "version": info.version,
        "created": iso(info.created),
        "keywords": ["Kosovo", "country selectors", "web forms", "open data", "xktracker"],
        "licenses": [{"name": LICENCE_ID, "title": LICENCE_TITLE, "path": LICENCE_URL}],
        "contributors": [{"title": "xktracker contributors", "role": "author"}],
        "sources": [{"title": f"xktracker {info.version} crawls of the tracked sites"}],
        "resources": [{
            "name": RESOURCE_NAME,
            "path": CSV_NAME,
            "profile": "tabular-data-resource",
            "title": "Field checks",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": f"sha256:{sha256}",
            "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"',
                        "doubleQuote": True, "header": True},
            "schema": table_schema(),
            "xktracker:rows": rows,
        }],
    }


def citation_cff(info: PackageInfo) -> str:
    """``CITATION.cff`` (Citation File Format 1.2.0) for the data set."""
    data = {
        "cff-version": "1.2.0",
        "message": "If you use this data, please cite it as below, with its version and date.",
        "type": "dataset",
        "title": "xktracker: Kosovo in websites' country selectors, check history",
        "authors": [{"name": "xktracker contributors"}],
        "version": f"{info.version} ({info.created.date().isoformat()})",
        "date-released": info.created.date().isoformat(),
        "license": LICENCE_ID,
        "keywords": ["Kosovo", "country selectors", "web forms", "open data"],
        "abstract": ("Which websites leave Kosovo out of their country selectors, found with "
                     "evidence and kept over time: one row per country control per check."),
    }
    text: str = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    return text


def licence_text(info: PackageInfo) -> str:
    return (
        f"# Licence\n\nThis data set (xktracker {info.version}, exported {iso(info.created)}) is "
        f"made available under the {LICENCE_TITLE} ({LICENCE_ID}):\n{LICENCE_URL}\n\n"
        "You may share, create and adapt it, provided you attribute it (\"xktracker "
        "contributors\", see CITATION.cff), share adapted databases under the same licence, "
        "and keep it open. The xktracker software itself is AGPL-3.0-or-later.\n")


def methodology_note(info: PackageInfo) -> str:
    """The methodology as shipped with this version, headed by the facts of this export."""
    try:
        body = METHODOLOGY_PATH.read_text(encoding="utf-8")
    except OSError:
        body = _METHODOLOGY_SUMMARY
    head = (f"<!-- xktracker {info.version}; exported {iso(info.created)}; filters: "
            f"{_filters_text(info.filters)} -->\n\n"
            f"> Data exported by xktracker {info.version} on {iso(info.created)}. The verdicts "
            "in it were reached by the engine version in each row's `engine_version` column; "
            "this note describes the rules of the exporting version.\n\n")
    return head + body
