"""Submissions: one spelling per page before they are compared, refusals counted toward the
rate limit, and no DNS look-up in the web request (the worker resolves and refuses)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crawler.fetch.guard import static_resolver
from db.models import Site, Submission, Target
from db.session import Database
from foundation.urls import canonical_page_url
from tests.db_fixtures import db_url, postgres_base  # noqa: F401
from tests.web_fixtures import app, client, csrf_from, history, make_app, web_db  # noqa: F401
from tracker_web.database import get_db
from tracker_web.moderation import create_admin
from tracker_web.worker import pool_of


@pytest.mark.parametrize(("given", "canonical"), [
    ("HTTPS://Shop.Example.COM/Checkout/", "https://shop.example.com/Checkout"),
    ("https://shop.example.com:443/checkout#top", "https://shop.example.com/checkout"),
    ("http://shop.example.com:80", "http://shop.example.com/"),
    ("http://shop.example.com:8080/a/", "http://shop.example.com:8080/a"),
    ("https://shop.example.com/?", "https://shop.example.com/"),
    ("https://shop.example.com/cart?utm_source=news&utm_medium=mail&step=2&fbclid=Ab",
     "https://shop.example.com/cart?step=2"),
    ("https://shop.example.com/cart?gclid=1&msclkid=2&_ga=3&mc_eid=4&pk_campaign=5",
     "https://shop.example.com/cart"),
    ("https://shop.example.com/s?b=2&a=1&b=1&UTM_Campaign=x", "https://shop.example.com/s?a=1&b=2&b=1"),
    ("https://shop.example.com/s?q=caf%C3%A9+au+lait", "https://shop.example.com/s?q=caf%C3%A9+au+lait"),
    ("https://shop.example.com./x//", "https://shop.example.com/x"),
    ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
    ("https://shop.example.com/p;v=1?ref=home", "https://shop.example.com/p;v=1?ref=home"),
])
def test_one_spelling_per_page(given: str, canonical: str) -> None:
    assert canonical_page_url(given) == canonical
    assert canonical_page_url(canonical) == canonical  # a fixed point


@pytest.fixture
def lab(web_db: tuple[str, Path], history: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """The app with the demo web reachable (127.0.0.0/8) and a table for the worker's DNS."""
    url, data = web_db
    application = make_app(url, data, tmp_path, SUBMISSION_ALLOW_NETWORKS=("127.0.0.0/8",),
                           SUBMISSION_RATE=(3, 3600), SUBMISSION_QUEUE=10)
    yield application
    application.extensions["xktracker_db"].dispose()


def _with_resolver(application: Flask, table: dict[str, str]) -> None:
    from dataclasses import replace

    worker = pool_of(application).worker
    worker.options = replace(worker.options, resolver=static_resolver(table))


def _submit(client: FlaskClient, url: str, address: str = "127.0.0.1") -> Any:
    environ = {"REMOTE_ADDR": address}
    page = client.get("/submit", environ_base=environ)
    token = page.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post("/submit", data={"csrf_token": token, "url": url},
                       environ_base=environ)


def _submissions(application: Flask) -> list[Submission]:
    with application.app_context(), get_db().scope() as session:
        found = list(session.scalars(select(Submission).order_by(Submission.id)))
        session.expunge_all()
        return found


def test_the_same_page_spelled_otherwise_is_one_submission(lab: Flask, demoweb) -> None:
    client = lab.test_client()
    first = _submit(client, demoweb.url("/checkout-en.html"))
    spellings = [demoweb.url("/checkout-en.html/") + "?utm_source=x#form",
                 demoweb.url("/checkout-en.html").replace("http://", "HTTP://")
                 + "?fbclid=abc&utm_campaign=spring"]
    for spelled in spellings:
        again = _submit(client, spelled)
        assert again.status_code == 303
        assert again.headers["Location"] == first.headers["Location"]
    (stored,) = _submissions(lab)
    assert stored.url == demoweb.url("/checkout-en.html")


def test_a_tracked_page_spelled_otherwise_goes_to_its_site_page(lab: Flask, demoweb) -> None:
    with lab.app_context(), get_db().scope(write=True) as session:
        site = session.execute(select(Site).where(Site.domain == "shop.example.com")
                               ).scalar_one()
        session.add(Target(site=site, url=demoweb.url("/checkout-en.html"), kind="checkout"))
    client = lab.test_client()
    response = _submit(client, demoweb.url("/checkout-en.html/") + "?utm_medium=social")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/site/shop.example.com")
    assert _submissions(lab) == []


def test_refused_submissions_count_toward_the_rate_limit(lab: Flask, demoweb) -> None:
    client = lab.test_client()
    for url in ("http://10.0.0.1/", "https://user:pw@shop.example/", "ftp://example.com/"):
        assert _submit(client, url).status_code == 400
    refused = _submit(client, demoweb.url("/checkout-en.html"))
    assert refused.status_code == 429  # three refusals used the hour's three submissions
    assert _submit(client, "http://10.0.0.2/").status_code == 429
    other = lab.test_client()
    assert _submit(other, demoweb.url("/checkout-en.html"), "192.0.2.9").status_code == 303


def test_the_request_never_resolves_a_name(lab: Flask, monkeypatch) -> None:
    asked: list[str] = []

    def no_dns(host: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(host)
        raise socket.gaierror("no DNS in a web request")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    client = lab.test_client()
    response = _submit(client, "https://no-such-name.example/signup")
    assert response.status_code == 303 and asked == []
    (stored,) = _submissions(lab)
    assert stored.status == "queued" and stored.domain == "no-such-name.example"
    # The worker resolves it (here the system resolver fails): refused, with the reason.
    pool_of(lab).worker.run_pending()
    assert asked == ["no-such-name.example"]
    (stored,) = _submissions(lab)
    assert (stored.status, stored.verdict, stored.reason) == ("refused", "error", "dns")
    page = client.get(response.headers["Location"]).text
    assert "We cannot check this address: the address could not be found." in page
    assert 'http-equiv="refresh"' not in page


def test_the_worker_refuses_a_name_of_a_private_address(lab: Flask) -> None:
    _with_resolver(lab, {"inside.example": "10.0.0.5", "router.example": "192.168.1.1"})
    client = lab.test_client()
    for url in ("https://inside.example/signup", "http://router.example/"):
        assert _submit(client, url).status_code == 303
    assert pool_of(lab).worker.run_pending() == 2
    found = _submissions(lab)
    assert [(s.status, s.reason) for s in found] == [("refused", "private_address")] * 2
    with lab.app_context(), get_db().scope(write=True) as session:
        create_admin(session, "mod", "a long enough password")
    admin = lab.test_client()
    token = csrf_from(admin, "/admin/login")
    admin.post("/admin/login", data={"csrf_token": token, "username": "mod",
                                     "password": "a long enough password"})
    queue = admin.get("/admin/").text
    assert "inside.example" not in queue and "router.example" not in queue


def test_a_name_the_worker_may_reach_is_checked(lab: Flask, demoweb) -> None:
    """Past the worker's look-up, the check itself fetches through the same guard (the test
    instance lets 127.0.0.0/8 through; production lets only public addresses)."""
    _with_resolver(lab, {"shop.test.example": "127.0.0.1"})
    client = lab.test_client()
    port = demoweb.url("/").split(":")[2].split("/")[0]
    assert _submit(client, f"http://shop.test.example:{port}/checkout-en.html"
                   ).status_code == 303
    pool_of(lab).worker.run_pending()
    (stored,) = _submissions(lab)
    assert stored.status == "checked" and stored.verdict == "listed"


def test_a_refused_submission_is_stored_on_each_backend(db_url: str) -> None:  # noqa: F811
    from db.migrate import upgrade

    upgrade(db_url)
    with Database(db_url) as database:
        with database.scope(write=True) as session:
            session.add(Submission(token="r" * 24, url="https://x.example/", domain="x.example",
                                   status="refused", verdict="error", reason="dns",
                                   created_at=datetime.now(UTC)))
        with database.scope() as session:
            assert session.execute(select(Submission.status)).scalar_one() == "refused"


def test_a_site_given_for_discovery_is_resolved_by_the_worker(lab: Flask,
                                                              monkeypatch) -> None:
    from db.models import Discovery

    asked: list[str] = []

    def no_dns(host: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(host)
        raise socket.gaierror("no DNS in a web request")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    _with_resolver(lab, {"inside.example": "10.0.0.5"})
    client = lab.test_client()
    token = csrf_from(client, "/submit/site")
    given = client.post("/submit/site", data={"csrf_token": token, "url": "inside.example"})
    assert given.status_code == 303 and asked == []
    pool_of(lab).worker.run_pending()
    with lab.app_context(), get_db().scope() as session:
        found = session.execute(select(Discovery)).scalar_one()
        assert (found.status, found.error) == ("failed", "private_address")
    page = client.get(given.headers["Location"]).text
    assert "We cannot look at this address: the address is not on the public Internet." in page
