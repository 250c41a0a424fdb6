"""``xktracker discover``: JSON lines in the order found, a table and progress lines for
people, usage errors as exit status 2."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tests.discover_fixtures import discoverweb  # noqa: F401
from xktracker.cli import main

FAST = ["--delay", "0", "--browser", "never", "--allow-private-addresses"]


def test_json_lines_in_the_order_found(discoverweb) -> None:
    alba, golf = discoverweb.url("alba"), discoverweb.url("golf")
    result = CliRunner().invoke(main, ["discover", "--json", *FAST, alba, golf])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["source"], r["kind"], r["verdict"], r["reason"]) for r in rows] == [
        (alba, "signup", "listed", None), (alba, "checkout", "missing", None),
        (golf, "signup", "blocked", "robots"), (golf, "signup", "listed", None)]
    assert rows[0]["url"] == alba + "account/register"
    assert rows[0]["via"] == "Sign in › Create an account"
    assert rows[1]["via"] == "Cart (1 item) › Proceed to checkout"
    assert all(r["steps"] == [] and isinstance(r["fields"], list) for r in rows)
    assert result.stderr == ""  # JSON mode is quiet


def test_a_table_and_a_progress_line_per_page(discoverweb) -> None:
    result = CliRunner().invoke(main, ["discover", *FAST, discoverweb.url("delta")])
    assert result.exit_code == 0
    assert "KIND" in result.stdout and "blocked/login_required" in result.stdout
    assert "3 page(s) found" in result.stdout
    progress = [line for line in result.stderr.splitlines() if line.startswith("[delta")]
    assert len(progress) == 6  # one per page fetched
    assert "delta.localhost: 2 form page(s), 3 reported, 6 pages" in result.stderr


def test_the_budget_and_depth_options_are_kept(discoverweb) -> None:
    result = CliRunner().invoke(main, ["discover", "--json", *FAST, "--max-pages", "2",
                                       discoverweb.url("alba")])
    assert result.exit_code == 0
    assert result.stdout == ""  # two pages reach neither form
    result = CliRunner().invoke(main, ["discover", *FAST, "--max-pages", "2",
                                       discoverweb.url("alba")])
    assert "2 pages" in result.stderr and "(max_pages)" in result.stderr


def test_a_site_that_cannot_be_reached_is_one_row_and_exit_zero() -> None:
    result = CliRunner().invoke(main, ["discover", "--json", "--delay", "0",
                                       "http://127.0.0.1:9/"])
    assert result.exit_code == 0
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["verdict"], row["reason"]) == ("error", "private_address")


def test_bad_usage_exits_two() -> None:
    for args in (["discover"], ["discover", "file.html"], ["discover", "ftp://x.example/"],
                 ["discover", "--max-pages", "0", "https://x.example/"],
                 ["discover", "--territory", "QQ", "https://x.example/"]):
        assert CliRunner().invoke(main, args).exit_code == 2, args
