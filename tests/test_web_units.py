"""Small pure parts of the dashboard: the chart geometry, the cache, neighbour rows."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from db.history import SharePoint
from tracker_web.cache import VersionedCache
from tracker_web.charts import parts_chart
from tracker_web.evidence import neighbour_rows


def _points(days: int) -> list[SharePoint]:
    start = date(2026, 1, 1)
    return [SharePoint(start + timedelta(days=n), {
        "listed": 10 + n % 3, "listed_qualified": 2, "wrong_code": 1, "partial": 1,
        "missing": 5, "neutral": 1, "unknown": 0}) for n in range(days)]


def test_chart_columns_stack_the_parts_inside_the_plot() -> None:
    chart = parts_chart(_points(200))
    left, top, right, bottom = chart.plot
    assert all(left <= b.x and b.x + b.width <= right + 0.1 and top - 0.1 <= b.y
               and b.y + b.height <= bottom + 0.1 for b in chart.bands)
    assert chart.x_ticks[-1].anchor == "end"
    gaps = [b.position - a.position for a, b in zip(chart.x_ticks, chart.x_ticks[1:], strict=False)]
    assert all(gap >= 90 for gap in gaps)
    # The last column: one band per part with a count, stacked from the bottom, listed first.
    last = [b for b in chart.bands if b.x == max(b.x for b in chart.bands)]
    assert [(b.part, b.count) for b in last] == [("listed", 10 + 199 % 3),
                                                 ("listed_qualified", 2), ("wrong_code", 1),
                                                 ("partial", 1), ("missing", 5)]
    assert all(a.y > b.y for a, b in zip(last, last[1:], strict=False))
    assert chart.latest is not None and chart.latest.counts["listed"] == 11


def test_chart_of_nothing_judged_is_empty() -> None:
    nothing = SharePoint(date(2026, 1, 1), {"unknown": 3})
    assert parts_chart([]).empty and parts_chart([nothing]).empty
    assert parts_chart([nothing, *_points(2)]).bands  # days without a judged site: no column


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


def test_neighbour_rows_never_mark_a_wrong_kosovo_as_found_nor_a_short_list_as_missing(
        ) -> None:
    wrong = {"verdict": "wrong_code", "kosovo": {"label": "Kosovo (+377)", "value": "XK"},
             "neighbours": [["KI", "Kiribati (+686)"], ["XK", "Kosovo (+377)"]]}
    assert neighbour_rows(wrong)[1] == ("Kosovo (+377)", "kosovo_wrong_code")
    qualified = {"verdict": "listed_qualified",
                 "kosovo": {"label": "Kosovo (Serbia)", "value": "XK"},
                 "neighbours": [["XK", "Kosovo (Serbia)"]]}
    assert neighbour_rows(qualified) == [("Kosovo (Serbia)", "kosovo_qualified")]
    short = {"verdict": "restricted",
             "neighbours": [["DE", "Germany"], ["IT", "Italy"], ["US", "United States"]]}
    assert all(role == "" for _, role in neighbour_rows(short))


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
    # A public instance also says who runs it, how to reach them and where its code is.
    with pytest.raises(SettingsError, match="ORGANISATION, XKTRACKER_CONTACT, XKTRACKER_SOURCE"):
        create_app({"START_WORKERS": False})
    monkeypatch.setenv("XKTRACKER_ORGANISATION", "Kosovo Digital Rights")
    monkeypatch.setenv("XKTRACKER_CONTACT", "hello@kdr.example")
    monkeypatch.setenv("XKTRACKER_SOURCE_URL", "https://code.kdr.example/xktracker")
    app = create_app({"START_WORKERS": False})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not (tmp_path / "secret_key").exists()


def test_a_generated_key_is_kept_in_the_instance_folder(tmp_path) -> None:
    from tracker_web import instance_secret

    first = instance_secret(tmp_path)
    assert instance_secret(tmp_path) == first and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
