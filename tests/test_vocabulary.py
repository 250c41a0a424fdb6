"""The shared words are declared once (foundation.vocabulary, checks.model) and every surface
uses exactly them: the fetchers, the database's constraints, the API's OpenAPI document, the
dashboard's words."""

from __future__ import annotations

from typing import Any

import pytest

from checks.model import PageVerdict
from crawler.fetch.outcome import BLOCKED_REASONS, ERROR_REASONS
from db.models import BROWSER_MODES, METHODS
from foundation.vocabulary import (
    BlockReason,
    BrowserMode,
    ErrorReason,
    Method,
    reason_for_status,
)
from tracker_web.api_spec import openapi_document
from tracker_web.words import REASONS


def _enums(node: Any, name: str) -> list[list[Any]]:
    """Every ``enum`` under a property called ``name`` in the OpenAPI document."""
    found: list[list[Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == name and isinstance(value, dict) and "enum" in value:
                found.append(value["enum"])
            found.extend(_enums(value, name))
    elif isinstance(node, list):
        for item in node:
            found.extend(_enums(item, name))
    return found


def test_the_openapi_enums_are_the_vocabulary() -> None:
    doc = openapi_document()
    methods = _enums(doc, "method")
    reasons = _enums(doc, "reason")
    assert methods and reasons
    for enum in methods:
        assert {v for v in enum if v is not None} == set(Method)
    for enum in reasons:
        assert {v for v in enum if v is not None} == set(ErrorReason) | set(BlockReason)
    verdicts = [e for e in _enums(doc, "verdict")]
    assert verdicts and all(set(e) == set(PageVerdict) for e in verdicts)
    for enum in _enums(doc, "status"):
        assert set(PageVerdict) <= set(enum)


def test_every_surface_uses_the_same_words() -> None:
    assert ERROR_REASONS == set(ErrorReason) and BLOCKED_REASONS == set(BlockReason)
    assert set(BROWSER_MODES) == set(BrowserMode) and set(METHODS) == set(Method)
    assert not set(ErrorReason) & set(BlockReason)


@pytest.mark.parametrize("reason", [*ErrorReason, *BlockReason])
def test_every_reason_has_words_for_people(reason: str) -> None:
    assert reason in REASONS


@pytest.mark.parametrize(("status", "reason"), [
    (200, None), (301, None), (401, "forbidden"), (403, "forbidden"), (404, "http_4xx"),
    (410, "http_4xx"), (429, "rate_limited"), (500, "http_5xx"), (503, "http_5xx"),
])
def test_one_reading_of_http_statuses(status: int, reason: str | None) -> None:
    assert reason_for_status(status) == reason
