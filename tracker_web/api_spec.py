"""The OpenAPI 3.1 description of ``/api/v1/`` (served at ``/api/v1/openapi.json``)."""

from __future__ import annotations

from typing import Any

from checks.model import PageVerdict
from db.verdicts import PARTS
from foundation.vocabulary import BlockReason, ErrorReason, Method

# A site's or target's status: a page verdict, or no conclusive check / no check yet.
VERDICTS = [*PageVerdict, "unknown", "unchecked"]
REASON = {"type": ["string", "null"], "enum": [*ErrorReason, *BlockReason, None]}
METHOD = {"type": "string", "enum": [*Method]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, where: str, schema: dict[str, Any], description: str,
           required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required or where == "path",
            "description": description, "schema": schema}


PAGING = [
    _param("page", "query", {"type": "integer", "minimum": 1, "default": 1},
           "Page number, from 1."),
    _param("per_page", "query", {"type": "integer", "minimum": 1, "maximum": 100,
                                 "default": 50}, "Items per page (at most 100)."),
]
DATE = {"type": "string", "description": "A date (2026-11-01) or an ISO 8601 date-time."}
NULL_STR = {"type": ["string", "null"]}
NULL_TIME = {"type": ["string", "null"], "format": "date-time"}


def _listing(item: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "page", "per_page", "total"],
            "properties": {"items": {"type": "array", "items": _ref(item)},
                           "page": {"type": "integer"}, "per_page": {"type": "integer"},
                           "total": {"type": "integer"}}}


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"200": {"description": description,
                    "content": {"application/json": {"schema": schema}}},
            "400": {"$ref": "#/components/responses/BadRequest"}}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "xktracker API",
            "version": "1.0.0",
            "summary": "Which websites leave Kosovo out of their country selectors, with "
                       "evidence and history.",
            "license": {"name": "AGPL-3.0-or-later",
                        "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/sites": {"get": {
                "operationId": "listSites", "summary": "Tracked sites and their status.",
                "parameters": [
                    _param("q", "query", {"type": "string", "maxLength": 100},
                           "Text in the domain, name or company."),
                    _param("category", "query", {"type": "string"}, "A category."),
                    _param("status", "query", {"type": "string", "enum": VERDICTS},
                           "Only sites with this status."),
                    *PAGING],
                "responses": _ok(_listing("SiteStatus"), "A page of sites."),
            }},
            "/sites/{domain}": {"get": {
                "operationId": "getSite", "summary": "One site with its targets' history.",
                "parameters": [
                    _param("domain", "path", {"type": "string"}, "The site's domain."),
                    _param("checks", "query", {"type": "integer", "minimum": 0,
                                               "maximum": 1000, "default": 100},
                           "How many of each target's latest checks to include.")],
                "responses": {**_ok(_ref("SiteDetail"), "The site."),
                              "404": {"$ref": "#/components/responses/NotFound"}},
            }},
            "/checks": {"get": {
                "operationId": "listChecks", "summary": "Checks, newest first.",
                "parameters": [
                    _param("site", "query", {"type": "string"}, "A site's domain."),
                    _param("verdict", "query", {"type": "string"}, "A page verdict."),
                    _param("since", "query", DATE, "Checked at or after."),
                    _param("until", "query", DATE, "Checked at or before."),
                    *PAGING],
                "responses": _ok(_listing("CheckSummary"), "A page of checks."),
            }},
            "/checks/{check_id}": {"get": {
                "operationId": "getCheck", "summary": "One check with its fields and report.",
                "parameters": [_param("check_id", "path", {"type": "integer"},
                                      "The check's id.")],
                "responses": {**_ok(_ref("CheckDetail"), "The check."),
                              "404": {"$ref": "#/components/responses/NotFound"}},
            }},
            "/wins": {"get": {
                "operationId": "listWins",
                "summary": "Changes of a page's verdict, newest first: wins by default.",
                "parameters": [
                    _param("kind", "query", {"type": "string",
                                             "enum": ["win", "regression", "all"],
                                             "default": "win"}, "Which changes."),
                    _param("since", "query", DATE, "Changes first seen at or after."),
                    *PAGING],
                "responses": _ok(_listing("Transition"), "A page of changes."),
            }},
            "/export.{fmt}": {"get": {
                "operationId": "getExport",
                "summary": "The whole check history, one row per field check, streamed "
                           "(the Data page's downloads; columns in docs/data-dictionary.md).",
                "parameters": [
                    _param("fmt", "path", {"type": "string",
                                              "enum": ["csv", "jsonl", "datapackage"]},
                           "csv, JSON Lines, or a Frictionless data package (zip)."),
                    _param("site", "query", {"type": "string"}, "Only this site's domain."),
                    _param("since", "query", {"type": "string", "format": "date"},
                           "From this day (UTC), inclusive."),
                    _param("until", "query", {"type": "string", "format": "date"},
                           "Up to this day (UTC), inclusive."),
                ],
                "responses": {
                    "200": {"description": "The file, streamed.", "content": {
                        "text/csv": {"schema": {"type": "string"}},
                        "application/x-ndjson": {"schema": {"type": "string"}},
                        "application/zip": {"schema": {"type": "string",
                                                       "format": "binary"}}}},
                    "400": {"$ref": "#/components/responses/BadRequest"},
                    "404": {"$ref": "#/components/responses/NotFound"},
                },
            }},
            "/stats": {"get": {
                "operationId": "getStats",
                "summary": "Sites by part now (the cards) and per day, week or month, overall "
                           "and per category (the chart); the share is of the judged sites "
                           "those listing Kosovo as a country of its own.",
                "parameters": [_param("period", "query", {"type": "string",
                                                          "enum": ["day", "week", "month"],
                                                          "default": "week"},
                                      "Step of the share series.")],
                "responses": _ok(_ref("Stats"), "The statistics."),
            }},
        },
        "components": {
            "responses": {
                "BadRequest": {"description": "A parameter is not valid.",
                               "content": {"application/json": {"schema": _ref("Error")}}},
                "NotFound": {"description": "No such item.",
                             "content": {"application/json": {"schema": _ref("Error")}}},
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "properties": {
                        "status": {"type": "integer"}, "message": {"type": "string"}}}}},
                "SiteStatus": {"type": "object", "required": ["domain", "status"],
                               "properties": {
                    "domain": {"type": "string"}, "name": {"type": "string"},
                    "company": NULL_STR, "category": NULL_STR,
                    "status": {"type": "string", "enum": VERDICTS},
                    "targets": {"type": "integer"}, "conclusive_targets": {"type": "integer"},
                    "stale_targets": {"type": "integer"},
                    "verdicts": {"type": "object",
                                 "additionalProperties": {"type": "integer"}},
                    "latest_conclusive_at": NULL_TIME, "oldest_conclusive_at": NULL_TIME,
                    "latest_check_at": NULL_TIME}},
                "TargetDetail": {"type": "object", "required": ["url", "status"],
                                 "properties": {
                    "target_id": {"type": "integer"}, "url": {"type": "string"},
                    "kind": {"type": "string"}, "status": {"type": "string"},
                    "verdict": NULL_STR, "reason": REASON, "checked_at": NULL_TIME,
                    "method": {"type": ["string", "null"], "enum": [*Method, None]},
                    "stale": {"type": "boolean"},
                    "segments": {"type": "array", "items": {"type": "object"}},
                    "transitions": {"type": "array", "items": {"type": "object"}},
                    "checks": {"type": "array", "items": {"type": "object"}}}},
                "SiteDetail": {"type": "object", "required": ["site", "targets"],
                               "properties": {
                    "site": _ref("SiteStatus"), "active": {"type": "boolean"},
                    "targets": {"type": "array", "items": _ref("TargetDetail")},
                    "letters": {"type": "object", "properties": {
                        "total": {"type": "integer"}, "recent": {"type": "integer"},
                        "by_channel": {"type": "object",
                                       "additionalProperties": {"type": "integer"}}}}}},
                "CheckSummary": {"type": "object", "required": ["id", "verdict"],
                                 "properties": {
                    "id": {"type": "integer"}, "checked_at": {"type": "string",
                                                              "format": "date-time"},
                    "method": METHOD,
                    "verdict": {"type": "string", "enum": [*PageVerdict]}, "reason": REASON,
                    "run_id": {"type": "integer"}, "url": {"type": "string"},
                    "kind": {"type": "string"}, "site": {"type": "string"},
                    "html_sha256": NULL_STR, "screenshot_sha256": NULL_STR}},
                "CheckDetail": {"allOf": [_ref("CheckSummary"), {"type": "object",
                                                                  "properties": {
                    "territory": {"type": "string"}, "conclusive": {"type": "boolean"},
                    "final_url": NULL_STR, "http_status": {"type": ["integer", "null"]},
                    "fields": {"type": "array", "items": {"type": "object"}},
                    "report": {"type": "object"}}}]},
                "Transition": {"type": "object", "required": ["site", "before", "after"],
                               "properties": {
                    "target_id": {"type": "integer"}, "url": {"type": "string"},
                    "site": {"type": "string"}, "before": {"type": "string"},
                    "after": {"type": "string"},
                    "kind": {"type": "string", "enum": ["win", "regression", "other"]},
                    "checked_at": {"type": "string", "format": "date-time"},
                    "previous_at": {"type": "string", "format": "date-time"},
                    "check_id": {"type": "integer"},
                    "excluded_since": NULL_TIME,
                    "time_to_fix_days": {"type": ["number", "null"]}}},
                "Parts": {"type": "object", "required": list(PARTS),
                          "properties": {part: {"type": "integer"} for part in PARTS}},
                "SharePoint": {"type": "object", "properties": {
                    "date": {"type": "string", "format": "date"},
                    **{part: {"type": "integer"} for part in PARTS},
                    "sites": {"type": "integer"}, "judged": {"type": "integer"},
                    "share": {"type": ["number", "null"]}}},
                "Stats": {"type": "object", "required": ["tracked_sites", "sites_by_part"],
                          "properties": {
                    "tracked_sites": {"type": "integer"},
                    "sites_by_part": _ref("Parts"),
                    "sites_by_status": {"type": "object",
                                        "additionalProperties": {"type": "integer"}},
                    "period": {"type": "string"},
                    "share": {"type": "array", "items": _ref("SharePoint")},
                    "by_category": {"type": "object", "additionalProperties": {
                        "type": "array", "items": _ref("SharePoint")}},
                    "latest_run": {"type": ["object", "null"]}}},
            },
        },
    }
