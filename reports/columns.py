"""The exported columns, declared once.

The CSV header, the JSONL keys, the SQLite table, the Frictionless Table Schema and
``docs/data-dictionary.md`` all come from (or are tested against) this one table, so a column
cannot be added to one format and forgotten in another.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks.model import FieldKind, FieldVerdict, PageVerdict, Widget
from db.models import METHODS, TARGET_KINDS

PAGE_VERDICTS: tuple[str, ...] = tuple(v.value for v in PageVerdict)
FIELD_VERDICTS: tuple[str, ...] = tuple(v.value for v in FieldVerdict)


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: ``type`` is a Table Schema type (string, integer, number,
    datetime); ``enum`` lists the allowed values when the set is closed."""

    name: str
    type: str
    description: str
    example: str
    enum: tuple[str, ...] | None = None
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("check_id", "integer", "Id of the check (one target checked in one run). Rows of "
           "the same check share it.", "1234", required=True),
    Column("run_id", "integer", "Id of the crawl run that made the check.", "17", required=True),
    Column("checked_at", "datetime", "When the page was checked, UTC, ISO 8601.",
           "2026-11-23T10:00:00Z", required=True),
    Column("territory", "string", "Territory looked for (ISO code; XK is Kosovo).", "XK",
           required=True),
    Column("site", "string", "Domain of the site (catalog key).", "example.com", required=True),
    Column("site_name", "string", "Name of the site as in the catalog.", "Example Shop",
           required=True),
    Column("company", "string", "Company behind the site (empty when unknown).",
           "Example Inc."),
    Column("category", "string", "Catalog category of the site.", "e-commerce"),
    Column("target_url", "string", "URL of the checked page (catalog target).",
           "https://example.com/account/register", required=True),
    Column("target_kind", "string", "What the page is.", "signup", TARGET_KINDS, True),
    Column("method", "string", "How the page was read: static HTML or a browser.", "static",
           METHODS, True),
    Column("page_verdict", "string", "Verdict for the whole page (methodology §4). error and "
           "blocked mean the form was not seen and never count as missing.", "missing",
           PAGE_VERDICTS, True),
    Column("reason", "string", "Why the page is error or blocked (timeout, http_5xx, bot_wall "
           "…); empty otherwise.", "timeout"),
    Column("http_status", "integer", "HTTP status of the final response, when known.", "200"),
    Column("final_url", "string", "URL after redirects.", "https://example.com/register"),
    Column("field_position", "integer", "Order of the field on the page, from 0; empty on the "
           "one row of a check that found no field.", "0"),
    Column("field_kind", "string", "country, or phone_country_code for a dial-code picker.",
           "country", tuple(k.value for k in FieldKind)),
    Column("widget", "string", "Kind of control the field is.", "select",
           tuple(w.value for w in Widget)),
    Column("field_selector", "string", "CSS selector of the control.", "#billing-country"),
    Column("field_name", "string", "The control's name attribute.", "country"),
    Column("field_id", "string", "The control's id attribute.", "billing-country"),
    Column("field_label", "string", "The control's label as shown on the page.", "Country"),
    Column("field_verdict", "string", "Verdict for this field (methodology §4).", "listed",
           FIELD_VERDICTS),
    Column("kosovo_label", "string", "Label of Kosovo's option, when there is one.", "Kosovo"),
    Column("kosovo_value", "string", "Value of Kosovo's option, when there is one.", "XK"),
    Column("kosovo_dial_code", "string", "Dial code offered for Kosovo (dial-code pickers).",
           "+383"),
    Column("qualifier", "string", "The text that puts Kosovo under another state or a "
           "resolution (listed_qualified).", "Kosovo (Serbia)"),
    Column("option_count", "integer", "Number of options in the control.", "250"),
    Column("country_count", "integer", "Number of options recognised as countries or "
           "territories.", "249"),
    Column("fingerprint_source", "string", "The upstream library the options match (a hint, "
           "never evidence): a library id of docs/upstream-lists.md, or family when several "
           "libraries ship the list alike. Checks stored by earlier versions may hold a "
           "platform's name.", "i18n-iso-countries"),
    Column("fingerprint_similarity", "number", "Similarity to that upstream list, 0 to 1.",
           "0.99"),
    Column("option_list_sha256", "string", "SHA-256 of the option list as offered "
           "(the same list on two pages has the same hash).", "9f2c…"),
    Column("html_sha256", "string", "SHA-256 of the document judged (evidence store key).",
           "3b7a…"),
    Column("screenshot_sha256", "string", "SHA-256 of the screenshot of the deciding control "
           "(browser checks).", "c01d…"),
    Column("engine_version", "string", "xktracker version that made the run.", "0.1.0"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
# Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
