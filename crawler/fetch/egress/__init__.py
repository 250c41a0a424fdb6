"""The browser's only way out: a guarding proxy on 127.0.0.1 (see :mod:`.proxy`)."""

from __future__ import annotations

from crawler.fetch.egress.proxy import EgressProxy
from crawler.fetch.egress.session import EgressLimits, EgressSession, Refusal

__all__ = ["EgressLimits", "EgressProxy", "EgressSession", "Refusal"]
