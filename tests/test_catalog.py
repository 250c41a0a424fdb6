"""The site catalog: validation errors that name the line and the field, the demo catalog,
and an idempotent merge that deactivates instead of deleting."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from db.catalog import (
    BUNDLED_CATALOG,
    demo_catalog,
    load_catalog,
    merge_catalog,
    parse_catalog,
)
from db.errors import CatalogError
from db.migrate import upgrade
from db.models import Check, Company, Contact, Site, Target
from db.session import Database
from db.store import record_check, start_run
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from xktracker.cli import main

DATA = Path(__file__).parent / "data" / "catalog"


def site(body: str) -> str:
    """A catalog with one site whose first lines are fixed (so line numbers are known):
    line 1 ``sites:``, line 2 ``- name``, line 3 ``domain``, line 4 on: ``body``."""
    return "sites:\n  - name: Shop\n    domain: shop.example.com\n" + textwrap.indent(
        textwrap.dedent(body).strip("\n"), "    ") + "\n"


TARGET = "targets:\n  - url: https://shop.example.com/signup\n    kind: signup\n"

BAD = [
    # (case id, yaml, line, field path, words of the message)
    ("kind-not-allowed", site("targets:\n  - url: https://shop.example.com/a\n    kind: signin"),
     6, "sites[0].targets[0].kind", "'signin' is not one of signup, checkout, shipping"),
    ("browser-not-allowed", site(TARGET + "    browser: sometimes"),
     7, "sites[0].targets[0].browser", "'sometimes' is not one of auto, always, never"),
    ("url-not-http", site("targets:\n  - url: ftp://shop.example.com/a\n    kind: signup"),
     5, "sites[0].targets[0].url", "not an http(s) URL"),
    ("url-localhost", site("targets:\n  - url: http://localhost:8000/a\n    kind: signup"),
     5, "sites[0].targets[0].url", "localhost is not a public host name"),
    ("url-private-ip", site("targets:\n  - url: http://192.168.1.10/a\n    kind: signup"),
     5, "sites[0].targets[0].url", "192.168.1.10 is a private, loopback or reserved address"),
    ("url-loopback-ipv6", site("targets:\n  - url: http://[::1]/a\n    kind: signup"),
     5, "sites[0].targets[0].url", "private, loopback or reserved"),
    ("url-userinfo", site("targets:\n  - url: https://me:pw@shop.example.com/\n    kind: signup"),
     5, "sites[0].targets[0].url", "user name or password"),
    ("url-single-label", site("targets:\n  - url: http://intranet/a\n    kind: signup"),
     5, "sites[0].targets[0].url", "intranet is not a public host name"),
    ("target-missing-kind", site("targets:\n  - url: https://shop.example.com/a"),
     5, "sites[0].targets[0].kind", "required"),
    ("step-unknown-verb", site(TARGET + "    steps:\n      - {hover: '#menu'}"),
     8, "sites[0].targets[0].steps[0]", "'hover' is not one of click, fill, select"),
    ("step-two-actions", site(TARGET + "    steps:\n      - {click: '#a', wait_for: '#b'}"),
     8, "sites[0].targets[0].steps[0]", "a step is one action"),
    ("step-fill-one-arg", site(TARGET + "    steps:\n      - {fill: '#email'}"),
     8, "sites[0].targets[0].steps[0].fill", "expected [SELECTOR, TEXT]"),
    ("step-click-number", site(TARGET + "    steps:\n      - {click: 42}"),
     8, "sites[0].targets[0].steps[0].click", "expected a selector string, got 42"),
    ("email-invalid", site("contacts:\n  - {kind: email, value: support-at-shop.example.com}"),
     5, "sites[0].contacts[0].value", "not a valid e-mail address"),
    ("email-mailto", site("contacts:\n  - {kind: email, value: 'mailto:a@shop.example.com'}"),
     5, "sites[0].contacts[0].value", "without 'mailto:'"),
    ("email-two-ats", site("contacts:\n  - {kind: email, value: a@b@shop.example.com}"),
     5, "sites[0].contacts[0].value", "not a valid e-mail address"),
    ("contact-kind", site("contacts:\n  - {kind: fax, value: '+1 555 0100'}"),
     5, "sites[0].contacts[0].kind", "'fax' is not one of email, form, phone, social, page"),
    ("contact-phone", site("contacts:\n  - {kind: phone, value: 'call us!'}"),
     5, "sites[0].contacts[0].value", "not a phone number"),
    ("contact-verified-not-date", site(
        "contacts:\n  - {kind: form, value: 'https://shop.example.com/c', verified: soon}"),
     5, "sites[0].contacts[0].verified", "expected a date"),
    ("contact-both-verified-and-not", site(
        "contacts:\n  - kind: form\n    value: https://shop.example.com/c\n"
        "    verified: 2026-11-01\n    unverified: true"),
     8, "sites[0].contacts[0].unverified", "also given a verified date"),
    ("company-line-break", site("company: \"Shop Inc.\\nBcc: x@evil.example\""),
     4, "sites[0].company", "line break or a control character"),
    ("contact-javascript", site("contacts:\n  - {kind: form, value: 'javascript:alert(1)'}"),
     5, "sites[0].contacts[0].value", "not an http(s) URL"),
    ("contact-data-url", site("contacts:\n  - {kind: page, value: 'data:text/html,x'}"),
     5, "sites[0].contacts[0].value", "not an http(s) URL"),
    ("unknown-site-key", site("homepage: https://shop.example.com/"),
     4, "sites[0].homepage", "unknown key"),
    ("domain-with-scheme", "sites:\n  - name: Shop\n    domain: https://shop.example.com\n",
     3, "sites[0].domain", "give the bare domain"),
    ("missing-domain", "sites:\n  - name: Shop\n    category: e-commerce\n",
     2, "sites[0].domain", "required"),
    ("name-not-text", "sites:\n  - name: [Shop]\n    domain: shop.example.com\n",
     2, "sites[0].name", "expected text, got a list"),
    ("duplicate-domain", "sites:\n  - name: A\n    domain: a.example.com\n"
     "  - name: B\n    domain: a.example.com\n",
     4, "sites[1].domain", "a.example.com is already listed (line 2)"),
    ("duplicate-url", site(TARGET) + "  - name: Other\n    domain: other.example.com\n"
     "    targets:\n      - url: https://shop.example.com/signup\n        kind: checkout\n",
     10, "sites[1].targets[0].url", "is already listed (line 5)"),
    ("key-twice", "sites:\n  - name: A\n    domain: a.example.com\n    name: B\n",
     4, "sites[0].name", "given twice"),
    ("sites-not-a-list", "sites:\n  name: Shop\n", 2, "sites", "expected a list"),
    ("top-level-key", "sites: []\nwebsites: []\n", 2, "catalog.websites", "unknown key"),
    ("yaml-syntax", "sites:\n  - name: Shop\n    domain: [shop.example.com\n", 4, "",
     "not valid YAML"),
    ("empty-file", "# nothing yet\n", 1, "", "empty file"),
]


@pytest.mark.parametrize(("text", "line", "path", "words"),
                         [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_validation_names_file_line_and_field(text: str, line: int, path: str,
                                              words: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, filename="catalog.yaml")
    problems = caught.value.problems
    assert len(problems) == 1, str(caught.value)
    problem = problems[0]
    assert (problem.file, problem.line, problem.path) == ("catalog.yaml", line, path), \
        str(problem)
    assert words in problem.message
    prefix = f"catalog.yaml:{line}: {path}: " if path else f"catalog.yaml:{line}: "
    assert str(problem).startswith(prefix)


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    with pytest.raises(CatalogError) as caught:
        load_catalog(DATA / "broken.yaml")
    lines = str(caught.value).splitlines()
    name = str(DATA / "broken.yaml")
    assert lines == [
        f"{name}:7: sites[0].targets[0].kind: 'signin' is not one of signup, checkout, "
        "shipping, phone, profile, other",
        f"{name}:8: sites[1].domain: required",
        f"{name}:13: sites[2].contacts[0].value: 'not-an-address' is not a valid e-mail address",
        f"{name}:14: sites[2].contacts[1].kind: 'fax' is not one of email, form, phone, "
        "social, page",
        f"{name}:15: sites[2].contacts[2].value: 'mailto:help@example.com': give the address "
        "without 'mailto:'",
        f"{name}:17: sites[2].targets[0].url: 'ftp://contacts.example.com/form' is not an "
        "http(s) URL",
    ]


def test_a_valid_catalog_reads_into_entries() -> None:
    catalog = load_catalog(DATA / "valid.yaml")
    assert catalog.name == "valid.yaml"
    assert [s.domain for s in catalog.sites] == ["example.com", "travel.example.org",
                                                 "social.example.net"]
    shop = catalog.sites[0]
    assert (shop.name, shop.company, shop.category, shop.line) == \
        ("Example Shop", "Example Inc.", "e-commerce", 3)
    email = shop.contacts[0]
    assert (email.kind, email.value, email.source, email.verified, email.unverified) == \
        ("email", "support@example.com", "https://example.com/contact", date(2026, 11, 1),
         False)
    register = shop.targets[0]
    assert (register.kind, register.browser) == ("signup", "auto")
    assert register.steps == ({"click": "text=Create account"},
                              {"wait_for": "select[name=country]"})
    book = catalog.sites[1].targets[0]
    assert book.steps == ({"fill": ["#email", "someone@example.org"]},
                          {"select": ["#currency", "EUR"]}, {"scroll": "bottom"},
                          {"click": "#continue"})
    assert catalog.sites[1].contacts[0].unverified
    assert catalog.sites[2].targets[0].browser == "auto"  # the default


def test_private_addresses_need_allow_private() -> None:
    text = site("targets:\n  - url: http://127.0.0.1:8000/signup.html\n    kind: signup")
    with pytest.raises(CatalogError, match="private, loopback"):
        parse_catalog(text)
    catalog = parse_catalog(text, allow_private=True)
    assert catalog.sites[0].targets[0].url == "http://127.0.0.1:8000/signup.html"
    # Credentials in URLs are refused even then.
    with pytest.raises(CatalogError, match="user name"):
        parse_catalog(site("targets:\n  - url: http://u:p@127.0.0.1/\n    kind: signup"),
                      allow_private=True)


def test_demo_catalog_points_at_the_demo_web(demoweb) -> None:
    catalog = demo_catalog(demoweb.base_url + "/")
    urls = [t.url for s in catalog.sites for t in s.targets]
    assert 10 <= len(urls) <= 16
    assert all(url.startswith(demoweb.base_url + "/") for url in urls)
    assert "{demo}" not in repr(catalog)
    paths = {url.removeprefix(demoweb.base_url) for url in urls}
    assert {"/react-select-like.html", "/botwall", "/status/503"} <= paths
    # Every page of the demo catalog exists in the demo web, with the verdicts it covers.
    from xktracker.demoweb.expectations import (
        DYNAMIC_EXPECTATIONS,
        EVOLVING,
        load_expectations,
    )

    expected = {e.path: e.verdict for e in load_expectations()}
    expected.update({path: e.verdict for path, e in DYNAMIC_EXPECTATIONS.items()})
    # The two pages that change between the demo's crawls: a win and a regression.
    assert {expected["/" + e.before] for e in EVOLVING.values()} == {"missing", "listed"}
    for path, step in EVOLVING.items():
        assert (expected["/" + step.before], expected["/" + step.after]) in (
            ("missing", "listed"), ("listed", "missing"))
        expected[path] = expected["/" + step.after]
    assert paths <= set(expected)
    assert {expected[p] for p in paths} >= {
        "listed", "missing", "partial", "listed_qualified", "wrong_code", "restricted",
        "free_text", "no_country_field", "blocked", "error"}


@pytest.mark.skipif(not BUNDLED_CATALOG.exists(), reason="db/catalog/sites.yaml not written yet")
def test_bundled_catalog_is_valid() -> None:
    catalog = load_catalog(BUNDLED_CATALOG)
    assert len(catalog.sites) >= 1


# Merging into the database.

def _rows(database: Database) -> dict[str, list[tuple[object, ...]]]:  # noqa: F811
    with database.scope() as session:
        return {
            "companies": sorted((c.name,) for c in session.scalars(select(Company))),
            "sites": sorted((s.domain, s.name, s.category, s.active, s.catalog,
                             s.company.name if s.company else None)
                            for s in session.scalars(select(Site))),
            "contacts": sorted((c.site.domain if c.site else "", c.kind, c.value, c.source,
                                str(c.verified), c.unverified)
                               for c in session.scalars(select(Contact))),
            "targets": sorted((t.url, t.site.domain, t.kind, t.browser, str(t.steps), t.active)
                              for t in session.scalars(select(Target))),
        }


def test_merge_is_idempotent(database: Database) -> None:  # noqa: F811
    catalog = load_catalog(DATA / "valid.yaml")
    with database.scope(write=True) as session:
        first = merge_catalog(session, catalog)
    assert first.to_dict()["added"] == {"companies": 1, "contacts": 4, "sites": 3,
                                        "targets": 4}
    snapshot = _rows(database)
    with database.scope(write=True) as session:
        again = merge_catalog(session, load_catalog(DATA / "valid.yaml"))
    assert not again.changed, again.summary()
    assert _rows(database) == snapshot
    assert ("example.com", "Example Shop", "e-commerce", True, "valid.yaml", "Example Inc.") \
        in snapshot["sites"]


def test_merge_updates_and_deactivates_without_deleting(database: Database) -> None:  # noqa: F811
    with database.scope(write=True) as session:
        merge_catalog(session, load_catalog(DATA / "valid.yaml"))
        checkout = session.execute(select(Target).where(
            Target.url == "https://example.com/checkout")).scalar_one()
        run = start_run(session, {})
        session.flush()
        record_check(session, run_id=run.id, target_id=checkout.id, report={
            "verdict": "missing", "method": "static", "checked_at": "2026-11-01T00:00:00Z",
            "fields": []})
    with database.scope(write=True) as session:
        result = merge_catalog(session, load_catalog(DATA / "valid_v2.yaml", name="valid.yaml"))
    changes = result.to_dict()
    assert changes["added"] == {"companies": 1, "sites": 1, "targets": 1}
    assert changes["updated"] == {"contacts": 1, "sites": 1, "targets": 1}
    assert changes["deactivated"] == {"sites": 1, "targets": 2}
    assert changes["removed"] == {"contacts": 1}
    rows = _rows(database)
    targets = {row[0]: row for row in rows["targets"]}
    # Gone from the file: inactive, still there with its history.
    assert targets["https://example.com/checkout"][-1] is False
    assert targets["https://social.example.net/signup"][-1] is False
    assert targets["https://travel.example.org/book"][3] == "auto"
    sites = {row[0]: row for row in rows["sites"]}
    assert sites["social.example.net"][3] is False
    assert sites["travel.example.org"][5] == "Example Travel Group"
    with database.scope() as session:
        assert session.execute(select(Check)).scalar_one().verdict == "missing"
    # Reloading the old file brings everything back to life.
    with database.scope(write=True) as session:
        back = merge_catalog(session, load_catalog(DATA / "valid.yaml"))
    assert back.to_dict()["updated"]["targets"] == 3
    assert sites_active(database) == {"example.com": True, "travel.example.org": True,
                                      "social.example.net": True, "bank.example.com": False}


def sites_active(database: Database) -> dict[str, bool]:  # noqa: F811
    with database.scope() as session:
        return {s.domain: s.active for s in session.scalars(select(Site))}


def test_a_second_catalog_does_not_retire_the_first(database: Database) -> None:  # noqa: F811
    with database.scope(write=True) as session:
        merge_catalog(session, load_catalog(DATA / "valid.yaml"))
    with database.scope(write=True) as session:
        result = merge_catalog(session, load_catalog(DATA / "other.yaml"))
    assert not result.deactivated or not sum(result.deactivated.values())
    assert all(sites_active(database).values())


def test_demo_catalog_merges(database: Database) -> None:  # noqa: F811
    with database.scope(write=True) as session:
        result = merge_catalog(session, demo_catalog("http://127.0.0.1:8123"))
    assert result.added["sites"] == 8  # with the two whose pages change between crawls
    with database.scope(write=True) as session:
        assert not merge_catalog(session, demo_catalog("http://127.0.0.1:8123")).changed


def test_catalog_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'xk.sqlite3'}"
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", url)
    monkeypatch.setenv("XKTRACKER_INSTANCE_DIR", str(tmp_path / "instance"))
    runner = CliRunner()
    not_ready = runner.invoke(main, ["catalog", "load", str(DATA / "valid.yaml")])
    assert not_ready.exit_code == 1 and "xktracker init" in not_ready.output
    upgrade(url)
    loaded = runner.invoke(main, ["catalog", "load", str(DATA / "valid.yaml")])
    assert loaded.exit_code == 0, loaded.output
    assert "added: 1 companies, 4 contacts, 3 sites, 4 targets" in loaded.output
    # The change is announced to the dashboard's processes (the generation of its pages).
    assert (tmp_path / "instance" / "pages" / "generation").is_file()
    again = runner.invoke(main, ["catalog", "load", str(DATA / "valid.yaml")])
    assert "added: nothing\nupdated: nothing\ndeactivated: nothing" in again.output
    broken = runner.invoke(main, ["catalog", "load", str(DATA / "broken.yaml")])
    assert broken.exit_code == 1
    assert "6 problems in" in broken.output and "broken.yaml:7: sites[0]" in broken.output
    checked = runner.invoke(main, ["catalog", "check", str(DATA / "valid.yaml")])
    assert checked.exit_code == 0 and "valid, 3 sites, 4 targets" in checked.output

    local = tmp_path / "local.yaml"
    local.write_text(site("targets:\n  - url: http://127.0.0.1:9/x\n    kind: signup"))
    refused = runner.invoke(main, ["catalog", "check", str(local)])
    assert refused.exit_code == 1 and "private, loopback" in refused.output
    allowed = runner.invoke(main, ["catalog", "load", "--allow-private-addresses", str(local)])
    assert allowed.exit_code == 0, allowed.output
    monkeypatch.setenv("XKTRACKER_ALLOW_PRIVATE_ADDRESSES", "1")
    assert runner.invoke(main, ["catalog", "check", str(local)]).exit_code == 0
