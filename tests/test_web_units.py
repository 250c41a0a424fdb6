"""Small pure parts of the dashboard: the chart geometry, the cache, neighbour rows."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from db.queries import ShareRow
from tracker_web.cache import VersionedCache
from tracker_web.charts import share_chart
from tracker_web.facts import neighbour_rows


def _rows(days: int) -> list[ShareRow]:
    start = date(2026, 1, 1)
    return [ShareRow(start + timedelta(days=n), 10 + n % 3, 5, 1, 0) for n in range(days)]


def test_chart_points_stay_in_the_plot() -> None:
    chart = share_chart(_rows(200))
    left, top, right, bottom = chart.plot
    assert len(chart.points) == 200
    assert all(left <= x <= right and top <= y <= bottom for x, y, _, _ in chart.points)
    assert chart.x_ticks[-1].anchor == "end" and chart.x_ticks[-1].position == right
    gaps = [b.position - a.position for a, b in zip(chart.x_ticks, chart.x_ticks[1:], strict=False)]
    assert all(gap >= 90 for gap in gaps)
    assert 0 < chart.latest < 1


def test_chart_skips_days_without_a_judged_site() -> None:
    rows = [ShareRow(date(2026, 1, 1), 0, 0, 0, 3), *_rows(3)]
    assert len(share_chart(rows).points) == 3
    assert share_chart([]).empty


def test_cache_reuses_until_the_version_changes() -> None:
    cache = VersionedCache()
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("k", 1, compute, ttl=0, background=False) == 1
    assert cache.get("k", 1, compute, ttl=0, background=False) == 1
    assert cache.get("k", 2, compute, ttl=0, background=False) == 2
    assert cache.get("k", 3, compute, ttl=3600, background=False) == 2  # recent enough


def test_cache_refreshes_in_the_background_serving_the_old_value() -> None:
    cache = VersionedCache()
    release = threading.Event()
    cache.get("k", 1, lambda: "old", ttl=0)

    def slow() -> str:
        release.wait(5)
        return "new"

    assert cache.get("k", 2, slow, ttl=0) == "old"  # answered at once
    assert cache.get("k", 2, slow, ttl=0) == "old"  # a refresh is running: not a second one
    release.set()
    assert cache.last_refresh is not None
    cache.last_refresh.join(5)
    assert cache.get("k", 2, slow, ttl=0) == "new"


def test_neighbour_rows_mark_kosovo_or_the_gap() -> None:
    listed = {"verdict": "listed", "kosovo": {"label": "Kosovo", "value": "XK"},
              "neighbours": [["KI", "Kiribati"], ["XK", "Kosovo"], ["KW", "Kuwait"]]}
    assert neighbour_rows(listed) == [("Kiribati", ""), ("Kosovo", "kosovo"), ("Kuwait", "")]
    missing = {"verdict": "missing",
               "neighbours": [["KI", "Kiribati"], ["KR", "Korea, South"], ["KW", "Kuwait"]]}
    assert [r for _, r in neighbour_rows(missing)] == ["", "", "gap", ""]
    at_end = {"verdict": "missing", "neighbours": [["AF", "Afghanistan"]]}
    assert neighbour_rows(at_end)[-1] == ("", "gap")


def test_production_needs_a_secret_key(monkeypatch, tmp_path) -> None:
    import pytest

    from foundation.errors import SettingsError
    from tracker_web import create_app

    monkeypatch.setenv("XKTRACKER_ENV", "production")
    monkeypatch.setenv("XKTRACKER_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("XKTRACKER_DATA_DIR", str(tmp_path / "data"))
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        create_app({"START_WORKERS": False})
    monkeypatch.setenv("XKTRACKER_SECRET_KEY", "k" * 32)
    app = create_app({"START_WORKERS": False})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_a_generated_key_is_kept_in_the_instance_folder(tmp_path) -> None:
    from tracker_web import instance_secret

    first = instance_secret(tmp_path)
    assert instance_secret(tmp_path) == first and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
