"""The README's first command: `xktracker demo` crawls the demo web into a history it keeps,
with a win and a regression from its first run, says how the other commands find it, and
opens the dashboard over it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from xktracker.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environ() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XKTRACKER_")}
    env["PYTHONWARNINGS"] = "ignore"
    return env


def test_demo_keeps_a_history_with_a_win_and_a_regression(tmp_path: Path) -> None:
    port = _free_port()
    instance = tmp_path / "demo"
    proc = subprocess.Popen(
        [sys.executable, "-m", "xktracker.cli", "demo", "--browser", "never",
         "--instance", str(instance), "--port", "0", "--dashboard-port", str(port)],
        env=_environ(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = ""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    page = reply.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, proc.communicate()
        # The first screen: a win, a regression, and the counts over time.
        changes = page.split('id="wins-heading"', 1)[1].split("</section>", 1)[0]
        assert "Win" in changes and "Demo Tickets" in changes
        assert "Regression" in changes and "Demo Rentals" in changes
        assert "<rect" in page and 'id="card-listed"' in page
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/site/tickets.demo.example",
                                    timeout=5) as reply:
            site = reply.read().decode("utf-8")
        assert "The last check without Kosovo" in site and "The first check with Kosovo" in site
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    # It kept the database where it said, and said how to use it.
    database = instance / "xktracker.sqlite3"
    assert database.is_file()
    assert f"export XKTRACKER_DATABASE_URL=sqlite:///{database}" in err
    env = {"XKTRACKER_DATABASE_URL": f"sqlite:///{database}",
           "XKTRACKER_DATA_DIR": str(instance / "data")}
    runner = CliRunner()
    status = runner.invoke(main, ["status", "--json"], env=env)
    assert status.exit_code == 0, status.output
    rows = [json.loads(line) for line in status.output.splitlines() if line.startswith("{")]
    by_path = {r["url"].rsplit("/", 2)[-2] + "/" + r["url"].rsplit("/", 1)[-1]: r
               for r in rows}
    assert by_path["evolving/tickets"]["status"] == "listed"
    assert by_path["evolving/rentals"]["status"] == "missing"
    report = runner.invoke(main, ["report", "--no-pdf", "--output", str(tmp_path / "r")],
                           env=env)
    assert report.exit_code == 0, report.output
    # Its history began this month: the default report is this month to date, and says so.
    html = next((tmp_path / "r").glob("*.html")).read_text(encoding="utf-8")
    assert "month to date" in html
    exported = runner.invoke(main, ["export", "--format", "csv"], env=env)
    assert exported.exit_code == 0 and "tickets.demo.example" in exported.output
