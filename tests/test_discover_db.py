"""Discovery's records: the catalog's ``discover:``, catalog health, proposals and what
moderation makes of them, and the patch for the catalog file. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crawler.discover.keep import keep_findings
from crawler.discover.run import DiscoverOptions
from db.catalog import merge_catalog, parse_catalog
from db.catalog_patch import catalog_patch
from db.errors import CatalogError
from db.evidence import EvidenceStore
from db.health import catalog_health, is_home, stop_problem
from db.models import Check, Proposal, Site, Target
from db.proposals import ProposalError, accept_proposal, reject_proposal, start_discovery
from db.store import finish_run, record_check, start_run
from tests.db_fixtures import database, db_url, postgres_base  # noqa: F401
from tests.discover_fixtures import LOOPBACK, discoverweb, walk_site  # noqa: F401

CATALOG = """\
sites:
  # --- shops
  - name: Alba
    domain: alba.localhost
    company: Alba Ltd
    category: e-commerce
    targets:
      - url: "{alba}old-signup"
        kind: signup
      - url: "{alba}checkout"
        kind: checkout

  - name: Bora
    domain: bora.localhost
    company: Bora Sh.p.k.
    category: e-commerce
    discover: true
    targets: []

  - name: Cyril
    domain: cyril.localhost
    company: Cyril d.o.o.
    category: e-commerce
    discover: "{cyril}"
"""


def _catalog(web):
    text = CATALOG.replace("{alba}", web.url("alba")).replace("{cyril}", web.url("cyril"))
    return text, parse_catalog(text, filename="sites.yaml", allow_private=True)


def _check(session, target_id: int, verdict: str, reason: str | None = None,
           final_url: str | None = None, when: datetime | None = None) -> None:
    run = start_run(session, {"kind": "test"})
    record_check(session, run_id=run.id, target_id=target_id, report={
        "verdict": verdict, "reason": reason, "method": "static", "fields": [],
        "final_url": final_url, "checked_at": (when or datetime.now(UTC)).isoformat()})
    finish_run(session, run.id)


def test_the_catalog_says_discover(discoverweb) -> None:
    _, catalog = _catalog(discoverweb)
    by_domain = {s.domain: s for s in catalog.sites}
    assert not by_domain["alba.localhost"].discover
    assert by_domain["bora.localhost"].discover and by_domain["bora.localhost"].discover_url is None
    assert by_domain["cyril.localhost"].discover_url == discoverweb.url("cyril")
    with pytest.raises(CatalogError, match=r"sites\[0\]\.discover"):
        parse_catalog("sites:\n  - {name: A, domain: a.example, discover: 3}\n")
    with pytest.raises(CatalogError, match="not an http"):
        parse_catalog("sites:\n  - {name: A, domain: a.example, discover: 'ftp://a.example/'}\n")


@pytest.mark.parametrize(("verdict", "reason", "url", "final", "problem"), [
    ("error", "http_4xx", "https://a.example/join", None, "http_4xx"),
    ("no_country_field", None, "https://a.example/join", "https://a.example/join",
     "no_country_field"),
    ("no_country_field", None, "https://a.example/join", "https://a.example/en/",
     "home_redirect"),
    ("error", "http_5xx", "https://a.example/join", None, None),  # a server error: a blip
    ("blocked", "bot_wall", "https://a.example/join", None, None),
    ("listed", None, "https://a.example/join", "https://a.example/", None),
    ("no_country_field", None, "https://a.example/", "https://a.example/", "no_country_field"),
])
def test_what_counts_as_stopped_answering(verdict, reason, url, final, problem) -> None:
    assert stop_problem(verdict, reason, url, final) == problem
    assert is_home("https://a.example/de-at") and not is_home("https://a.example/de/join")


def test_catalog_health_lists_what_needs_discovery(database, discoverweb) -> None:
    _, catalog = _catalog(discoverweb)
    with database.scope(write=True) as session:
        merge_catalog(session, catalog)
        old, checkout = session.scalars(select(Target).order_by(Target.id)).all()
        now = datetime.now(UTC)
        _check(session, old.id, "no_country_field", None, discoverweb.url("alba"),
               now - timedelta(days=1))
        _check(session, old.id, "error", "http_4xx", None, now)
        _check(session, checkout.id, "error", "http_4xx", None, now - timedelta(days=1))
        _check(session, checkout.id, "missing", None, None, now)  # answers again
    with database.scope() as session:
        health = {h.domain: h for h in catalog_health(session, runs=2)}
        assert set(health) == {"alba.localhost", "bora.localhost", "cyril.localhost"}
        alba = health["alba.localhost"]
        assert [t.url for t in alba.troubles] == [old.url]
        assert alba.troubles[0].problems == ("http_4xx", "home_redirect")
        assert alba.start_url == discoverweb.url("alba")
        assert health["bora.localhost"].reasons == ("discover: true", "no active target")
        assert health["bora.localhost"].start_url == "https://bora.localhost/"
        assert health["cyril.localhost"].start_url == discoverweb.url("cyril")
        # Three runs asked for, two checks made: not (yet) stopped.
        assert "alba.localhost" not in {h.domain for h in catalog_health(session, runs=3)}


def _discover_alba(database, web, tmp_path, replaces=None):
    options = DiscoverOptions(browser="never", delay=0.0, allow_networks=LOOPBACK,
                              with_options=True)
    walked = walk_site(web, "alba", options)
    store = EvidenceStore(tmp_path / "evidence")
    with database.scope(write=True) as session:
        site = session.execute(select(Site).where(Site.domain == "alba.localhost")
                               ).scalar_one()
        discovery = start_discovery(session, domain=site.domain, start_url=web.url("alba"),
                                    origin="crawl", site_id=site.id, trigger="test")
        stats = walked.result.stats
        made = keep_findings(session, store, discovery, walked.result.findings,
                             pages=stats.pages, requests=stats.requests,
                             seconds=walked.result.seconds, stop_reason=stats.stop_reason,
                             replaces=replaces)
        return [p.id for p in made], store


def test_proposals_are_kept_with_their_evidence_and_refreshed(database, discoverweb,
                                                              tmp_path) -> None:
    _, catalog = _catalog(discoverweb)
    with database.scope(write=True) as session:
        merge_catalog(session, catalog)
        old = session.scalars(select(Target).order_by(Target.id)).first()
        old_id = old.id
    first, store = _discover_alba(database, discoverweb, tmp_path, {"signup": old_id})
    with database.scope() as session:
        proposals = session.scalars(select(Proposal).order_by(Proposal.id)).all()
        # The checkout is tracked already: only the signup is proposed.
        assert [(p.kind, p.verdict, p.url) for p in proposals] == [
            ("signup", "listed", discoverweb.url("alba") + "account/register")]
        signup = proposals[0]
        assert signup.replaces_target_id == old_id
        assert signup.discovery.status == "done" and signup.discovery.pages == 5
        assert signup.html_sha256 in store
        assert b"Create your account" in store.get(signup.html_sha256)
        assert signup.report["fields"][0]["options"]  # the whole list, for the history
    again, _ = _discover_alba(database, discoverweb, tmp_path)
    assert again == first  # the waiting proposal was refreshed, not duplicated


def test_accepting_makes_a_target_records_its_check_and_retires_the_old(
        database, discoverweb, tmp_path) -> None:
    text, catalog = _catalog(discoverweb)
    with database.scope(write=True) as session:
        merge_catalog(session, catalog)
        old_id = session.scalars(select(Target.id).order_by(Target.id)).first()
    [proposal_id], _ = _discover_alba(database, discoverweb, tmp_path, {"signup": old_id})
    with database.scope(write=True) as session:
        target = accept_proposal(session, proposal_id, "alba-moderator")
        new_id = target.id
    with database.scope() as session:
        target = session.get(Target, new_id)
        assert (target.kind, target.browser, target.active) == ("signup", "auto", True)
        assert not session.get(Target, old_id).active
        [check] = session.scalars(select(Check).where(Check.target_id == new_id)).all()
        assert check.verdict == "listed" and check.report["source"] == target.url
        assert check.fields[0].option_list is not None
    with database.scope(write=True) as session, pytest.raises(ProposalError):
        accept_proposal(session, proposal_id, "again")
    # A reload of the file keeps the accepted target (the file does not list it yet) and
    # revives the old one (it does); the health page then shows the patch to make.
    with database.scope(write=True) as session:
        merge_catalog(session, catalog)
    with database.scope() as session:
        assert session.get(Target, new_id).active
        assert session.get(Target, old_id).active


def test_a_rejected_page_is_not_proposed_again(database, discoverweb, tmp_path) -> None:
    _, catalog = _catalog(discoverweb)
    with database.scope(write=True) as session:
        merge_catalog(session, catalog)
    [proposal_id], _ = _discover_alba(database, discoverweb, tmp_path)
    with database.scope(write=True) as session:
        reject_proposal(session, proposal_id, "m")
    again, _ = _discover_alba(database, discoverweb, tmp_path)
    assert again == []


def test_the_patch_replaces_the_stopped_target_and_adds_the_rest(database, discoverweb,
                                                                  tmp_path) -> None:
    text, catalog = _catalog(discoverweb)
    with database.scope(write=True) as session:
        merge_catalog(session, catalog)
        old = session.scalars(select(Target).order_by(Target.id)).first()
        old_id, old_url = old.id, old.url
        now = datetime.now(UTC)
        _check(session, old_id, "error", "http_4xx", None, now - timedelta(days=1))
        _check(session, old_id, "error", "http_4xx", None, now)
    _discover_alba(database, discoverweb, tmp_path, {"signup": old_id})
    with database.scope() as session:
        health = catalog_health(session)
    patch = catalog_patch(text, "sites.yaml", health)
    assert patch.diff.startswith("--- a/sites.yaml\n+++ b/sites.yaml\n")
    assert f"-      - url: \"{old_url}\"" in patch.diff
    assert "+      - url: " + discoverweb.url("alba") + "account/register" in patch.diff
    assert "  # --- shops" in patch.text  # comments and layout kept
    patched = parse_catalog(patch.text, filename="sites.yaml", allow_private=True)
    alba = next(s for s in patched.sites if s.domain == "alba.localhost")
    assert [t.url for t in alba.targets] == [discoverweb.url("alba") + "account/register",
                                             discoverweb.url("alba") + "checkout"]
    assert alba.targets[0].note.startswith("found by xktracker discover on ")
