"""Per-client rate limits kept in the database, so every web process sees the same counts.

The client is an HMAC of its address under the app's secret key: enough to count, useless
to anyone reading the table without the key. Events older than a day are deleted as new ones
arrive, so the table never holds more than a day of keyed hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select

from db.models import RateEvent
from tracker_web.database import write_scope

KEEP = timedelta(days=1)


def client_key(action: str) -> str:
    """The keyed hash of this request's client address (after trusted proxies, if any)."""
    address = request.remote_addr or "unknown"
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"{action}\0{address}".encode(), hashlib.sha256).hexdigest()[:40]


def hit(action: str, limit: int, period_seconds: int, *, now: datetime | None = None) -> bool:
    """Count one ``action`` for this client; ``False`` (nothing counted) when the client has
    already reached ``limit`` within the last ``period_seconds``."""
    now = now or datetime.now(UTC)
    key = client_key(action)
    since = now - timedelta(seconds=min(period_seconds, int(KEEP.total_seconds())))
    with write_scope() as session:
        session.execute(delete(RateEvent).where(RateEvent.at < now - KEEP))
        used = session.execute(select(func.count()).select_from(RateEvent).where(
            RateEvent.client == key, RateEvent.action == action,
            RateEvent.at >= since)).scalar_one()
        if used >= limit:
            return False
        session.add(RateEvent(client=key, action=action, at=now))
    return True
