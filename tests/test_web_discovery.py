"""The dashboard's discovery: a citizen gives only a site's address, the worker looks for its
form pages, moderators accept the proposals on the catalog-health page (CSRF-protected)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from db.models import Check, Discovery, Proposal, Site, Target
from db.store import finish_run, record_check, start_run
from tests.discover_fixtures import discoverweb  # noqa: F401
from tests.web_fixtures import (  # noqa: F401
    HOSTILE,
    app,
    client,
    csrf_from,
    history,
    make_app,
    web_db,
)
from tracker_web.database import get_db
from tracker_web.moderation import create_admin
from tracker_web.worker import pool_of


@pytest.fixture
def site_app(web_db, history, tmp_path):
    url, data = web_db
    application = make_app(url, data, tmp_path, SUBMISSION_ALLOW_NETWORKS=("127.0.0.0/8",),
                           SUBMISSION_RATE=(3, 3600), DISCOVERY_DELAY=0.0)
    with application.app_context(), get_db().scope(write=True) as session:
        create_admin(session, "mod", "a long enough password")
    yield application
    application.extensions["xktracker_db"].dispose()


def _give(client: FlaskClient, address: str, note: str = "") -> Any:
    token = csrf_from(client, "/submit/site")
    return client.post("/submit/site", data={"csrf_token": token, "url": address,
                                             "note": note})


def _login(client: FlaskClient) -> None:
    token = csrf_from(client, "/admin/login")
    response = client.post("/admin/login", data={"csrf_token": token, "username": "mod",
                                                 "password": "a long enough password"})
    assert response.status_code == 303


def test_a_citizen_gives_a_site_and_sees_its_forms(site_app: Flask, discoverweb) -> None:
    client = site_app.test_client()
    assert "Let us find its forms" in client.get("/submit").text
    response = _give(client, discoverweb.url("alba"), "The shop leaves Kosovo out")
    assert response.status_code == 303
    status_url = response.headers["Location"]
    waiting = client.get(status_url)
    assert 'http-equiv="refresh"' in waiting.text and "Waiting for its turn" in waiting.text
    assert pool_of(site_app).worker.run_pending() == 1  # the worker walks the site
    done = client.get(status_url).text
    assert 'http-equiv="refresh"' not in done
    assert "We looked at 5 pages" in done
    assert "/account/register" in done and "/checkout" in done
    assert "Leaves Kosovo out" in done  # the checkout's verdict, in the citizen's words
    assert "A moderator will review them" in done
    # The same site again within a day: the same status page, no second walk.
    again = _give(client, f"alba.localhost:{discoverweb.port}")
    assert again.status_code == 303 and again.headers["Location"] == status_url


@pytest.mark.parametrize("address", ["http://10.0.0.1/", "http://localhost/",
                                     "ftp://shop.example/", "https://u:p@shop.example/"])
def test_private_and_odd_addresses_are_refused(app: Flask, client: FlaskClient,
                                               address: str) -> None:
    response = _give(client, address)
    assert response.status_code == 400
    with app.app_context(), get_db().scope() as session:
        assert session.execute(select(Discovery)).first() is None


def test_giving_sites_is_rate_limited(site_app: Flask, discoverweb) -> None:
    client = site_app.test_client()
    codes = [_give(client, discoverweb.url(name)).status_code
             for name in ("alba", "bora", "cyril", "delta")]
    assert codes == [303, 303, 303, 429]


def _stop(app: Flask, target_url: str) -> int:
    """Two 404s for a catalog target: catalog health lists its site."""
    with app.app_context(), get_db().scope(write=True) as session:
        site = Site(domain="alba.localhost", name="Alba", category="e-commerce")
        target = Target(site=site, url=target_url, kind="signup")
        session.add_all([site, target])
        session.flush()
        for days in (2, 1):
            run = start_run(session, {"kind": "test"})
            record_check(session, run_id=run.id, target_id=target.id, report={
                "verdict": "error", "reason": "http_4xx", "method": "static", "fields": [],
                "final_url": target_url,
                "checked_at": (datetime.now(UTC) - timedelta(days=days)).isoformat()})
            finish_run(session, run.id)
        return target.id


def test_catalog_health_accepts_a_proposal_in_one_click(site_app: Flask, discoverweb) -> None:
    old = _stop(site_app, discoverweb.url("alba", "/old-signup"))
    client = site_app.test_client()
    assert client.get("/admin/catalog-health").status_code == 303  # sign in first
    _login(client)
    page = client.get("/admin/catalog-health").text
    assert "Catalog health" in page and "/old-signup" in page and "No proposal yet" in page
    # A moderator asks for discovery now; the worker walks the site.
    token = csrf_from(client, "/admin/catalog-health")
    with site_app.app_context(), get_db().scope() as session:
        site_id = session.execute(select(Site.id).where(Site.domain == "alba.localhost")
                                  ).scalar_one()
    assert client.post(f"/admin/catalog-health/{site_id}/discover",
                       data={"csrf_token": token}).status_code == 303
    assert pool_of(site_app).worker.run_pending() == 1
    page = client.get("/admin/catalog-health").text
    assert "/account/register" in page and "Accept as target" in page
    with site_app.app_context(), get_db().scope() as session:
        proposal = session.execute(select(Proposal).where(
            Proposal.url.endswith("/account/register"))).scalar_one()
        assert proposal.replaces_target_id == old
        assert session.get(Discovery, proposal.discovery_id).origin == "moderator"
        proposal_id = proposal.id
    # Without the CSRF token nothing happens.
    assert client.post(f"/admin/proposals/{proposal_id}/accept").status_code == 400
    token = csrf_from(client, "/admin/catalog-health")
    response = client.post(f"/admin/proposals/{proposal_id}/accept",
                           data={"csrf_token": token})
    assert response.status_code == 303
    with site_app.app_context(), get_db().scope() as session:
        target = session.execute(select(Target).where(
            Target.url.endswith("/account/register"))).scalar_one()
        assert target.active and not session.get(Target, old).active
        assert session.execute(select(Check.verdict).where(Check.target_id == target.id)
                               ).scalar_one() == "listed"
    assert "Accepted: the page is now tracked." in client.get("/admin/catalog-health").text
    # Twice is refused, plainly.
    token = csrf_from(client, "/admin/catalog-health")
    client.post(f"/admin/proposals/{proposal_id}/accept", data={"csrf_token": token})
    assert "decided already" in client.get("/admin/catalog-health").text


def test_a_citizens_site_is_moderated_from_the_health_page(site_app: Flask,
                                                           discoverweb) -> None:
    client = site_app.test_client()
    _give(client, discoverweb.url("india"))
    pool_of(site_app).worker.run_pending()
    _login(client)
    page = client.get("/admin/catalog-health").text
    assert "Other proposals" in page and "india.localhost" in page
    with site_app.app_context(), get_db().scope() as session:
        ids = {p.kind: p.id for p in session.scalars(select(Proposal))}
    assert set(ids) == {"signup", "checkout"}
    token = csrf_from(client, "/admin/catalog-health")
    client.post(f"/admin/proposals/{ids['checkout']}/accept", data={"csrf_token": token})
    token = csrf_from(client, "/admin/catalog-health")
    client.post(f"/admin/proposals/{ids['signup']}/reject", data={"csrf_token": token})
    with site_app.app_context(), get_db().scope() as session:
        site = session.execute(select(Site).where(Site.domain == "india.localhost")
                               ).scalar_one()
        assert site.catalog == "submissions" and [t.kind for t in site.targets] == ["checkout"]
        assert session.get(Proposal, ids["signup"]).status == "rejected"
    # The citizen's page follows the decisions.
    with site_app.app_context(), get_db().scope() as session:
        token = session.execute(select(Discovery.token)).scalar_one()
    status = client.get(f"/submit/site/{token}").text
    assert "now tracked" in status and "not tracked" in status


def test_text_from_the_web_is_escaped_on_the_health_page(site_app: Flask) -> None:
    from db.proposals import record_proposals, start_discovery

    with site_app.app_context(), get_db().scope(write=True) as session:
        discovery = start_discovery(session, domain="evil.example.com",
                                    start_url="https://evil.example.com/", origin="citizen")
        record_proposals(session, discovery, [{
            "url": "https://evil.example.com/join", "kind": "signup", "verdict": "missing",
            "reason": None, "via": HOSTILE, "steps": [], "method": "static", "fields": []}])
    client = site_app.test_client()
    _login(client)
    page = client.get("/admin/catalog-health").text
    assert HOSTILE not in page and "&lt;script&gt;" in page
