"""The README's first command: `xktracker demo` crawls the demo web and opens the dashboard."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from tests.crawl_helpers import CrawlEnv


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_demo_serves_the_dashboard_over_what_it_crawled(tmp_path) -> None:
    port = _free_port()
    env = CrawlEnv(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "xktracker.cli", "demo", "--browser", "never",
         "--dashboard-port", str(port)],
        env=env.environ(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = ""
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
                    page = reply.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, proc.communicate()
        assert "Kosovo" in page
        assert "demo.example" in page or "Demo" in page
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
