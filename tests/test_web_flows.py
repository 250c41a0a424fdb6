"""The dashboard's writing paths: letters and the tally, submissions and their background
check, wrong-verdict reports, rate limits, the admin's moderation, ``xktracker admin``."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from db.models import (
    ActionTally,
    AdminUser,
    Check,
    Company,
    RateEvent,
    RecheckRequest,
    Site,
    Submission,
    Target,
    WrongVerdictReport,
)
from tests.db_fixtures import db_url, postgres_base  # noqa: F401
from tests.web_fixtures import (  # noqa: F401
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

PERSONAL = "My cousin in Peja could not buy a ticket."


def _count(app: Flask, model: Any, *where: Any) -> int:
    with app.app_context(), get_db().scope() as session:
        return session.execute(select(func.count()).select_from(model).where(*where)
                               ).scalar_one()


# --- letters ------------------------------------------------------------------------------

def test_composer_builds_a_letter_and_links(client: FlaskClient) -> None:
    token = csrf_from(client, "/write/shop.example.com")
    response = client.post("/write/shop.example.com", data={
        "csrf_token": token, "language": "de", "variant": "customer", "target": "1",
        "personal": PERSONAL})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="link-mailto" href="mailto:support@shop.example.com?subject=' in html
    assert "Kosovo (Code XK) in die Länderliste aufnehmen" in html
    assert PERSONAL in html
    start = html.index('id="link-mailto" href="') + len('id="link-mailto" href="')
    link = html[start:html.index('"', start)].replace("&amp;", "&")
    fields = parse_qs(urlsplit(link).query, strict_parsing=True)
    assert set(fields) == {"subject", "body"}
    assert PERSONAL in fields["body"][0]
    # The hostile company name is in the letter, encoded, never as a header.
    assert "ACME&bcc=spy@evil.example Bcc: x@evil.example" in fields["body"][0]
    assert "mail.google.com" in html and "outlook.live.com" in html


def test_composer_requires_a_personal_sentence(client: FlaskClient) -> None:
    token = csrf_from(client, "/write/shop.example.com")
    response = client.post("/write/shop.example.com", data={
        "csrf_token": token, "language": "en", "variant": "polite", "target": "1",
        "personal": "  "})
    assert response.status_code == 200
    assert "mailto:" not in response.text and 'aria-invalid="true"' in response.text


def test_composer_refuses_a_target_of_another_site(client: FlaskClient) -> None:
    token = csrf_from(client, "/write/shop.example.com")
    response = client.post("/write/shop.example.com", data={
        "csrf_token": token, "language": "en", "variant": "polite", "target": "2",
        "personal": PERSONAL})
    assert "mailto:" not in response.text


def test_composer_has_nothing_to_ask_of_a_listing_site(client: FlaskClient) -> None:
    assert "nothing to ask for" in client.get("/write/market.example.com").text


def test_tally_counts_anonymously(app: Flask, client: FlaskClient) -> None:
    token = csrf_from(client, "/write/shop.example.com")
    for channel in ("mailto", "gmail", "mailto"):
        response = client.post("/write/shop.example.com/tally",
                               data={"csrf_token": token, "channel": channel},
                               headers={"X-Requested-With": "fetch"})
        assert response.status_code == 204
    assert client.post("/write/shop.example.com/tally",
                       data={"csrf_token": token, "channel": "fax"}).status_code == 400
    with app.app_context(), get_db().scope() as session:
        rows = session.execute(select(ActionTally.channel, ActionTally.count)
                               .order_by(ActionTally.channel)).all()
    assert [tuple(r) for r in rows] == [("gmail", 1), ("mailto", 2)]
    html = client.get("/site/shop.example.com").text
    assert "3 letters started to this company so far" in html
    assert client.get("/api/v1/sites/shop.example.com").json["letters"]["total"] == 3


# --- submissions --------------------------------------------------------------------------

@pytest.fixture
def loopback_app(web_db: tuple[str, Path], history: dict[str, Any], tmp_path: Path):
    url, data = web_db
    application = make_app(url, data, tmp_path, SUBMISSION_ALLOW_NETWORKS=("127.0.0.0/8",),
                           SUBMISSION_RATE=(2, 3600), SUBMISSION_QUEUE=3)
    yield application
    get_db_of(application).dispose()


def get_db_of(application: Flask) -> Any:
    return application.extensions["xktracker_db"]


def _submit(client: FlaskClient, url: str, note: str = "") -> Any:
    token = csrf_from(client, "/submit")
    return client.post("/submit", data={"csrf_token": token, "url": url, "note": note})


@pytest.mark.parametrize("url", ["http://127.0.0.1/", "http://localhost:8080/x",
                                 "http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/",
                                 "ftp://example.com/", "file:///etc/passwd",
                                 "https://user:pw@example.com/", "javascript:alert(1)",
                                 "http://2130706433/"])
def test_submission_refuses_private_and_odd_addresses(client: FlaskClient, app: Flask,
                                                      url: str) -> None:
    response = _submit(client, url)
    assert response.status_code == 400
    assert _count(app, Submission) == 0
    # The form gives the writer's own input back (escaped, in the field) to be corrected;
    # the error message itself names no part of it.
    error = response.text.split('class="error"', 1)[1].split("</p>", 1)[0]
    assert url not in error and "alert" not in error


def test_submission_is_checked_in_the_background(loopback_app: Flask, demoweb) -> None:
    client = loopback_app.test_client()
    response = _submit(client, demoweb.url("/checkout-world-missing.html"), "No Kosovo!")
    assert response.status_code == 303
    status_url = response.headers["Location"]
    waiting = client.get(status_url)
    assert 'http-equiv="refresh"' in waiting.text and "Waiting" in waiting.text
    # The request only queued it; the worker checks it (here run in the test's thread).
    assert pool_of(loopback_app).worker.run_pending() == 1
    done = client.get(status_url).text
    assert "Leaves Kosovo out" in done and "moderator" in done
    assert 'http-equiv="refresh"' not in done
    with loopback_app.app_context(), get_db().scope() as session:
        found = session.execute(select(Submission)).scalar_one()
        assert found.status == "checked" and found.verdict == "missing"
        assert found.note == "No Kosovo!"
        assert found.report and found.report["fields"][0]["options"]


def test_a_tracked_page_submitted_again_goes_to_its_site_page(loopback_app: Flask,
                                                               demoweb) -> None:
    url = demoweb.url("/checkout-en.html")
    with loopback_app.app_context(), get_db().scope(write=True) as session:
        site = session.execute(select(Site).where(Site.domain == "shop.example.com")
                               ).scalar_one()
        session.add(Target(site=site, url=url, kind="checkout"))
    client = loopback_app.test_client()
    response = _submit(client, url)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/site/shop.example.com")
    assert "tracked already" in client.get(response.headers["Location"]).text
    assert _count(loopback_app, Submission) == 0  # nothing queued, nothing checked


def test_a_new_site_shows_at_once_even_when_another_process_adds_it(
        app: Flask, client: FlaskClient) -> None:
    from datetime import UTC, datetime

    from db.store import finish_run, record_check, start_run
    from tests.web_fixtures import MISSING, report

    assert "Newly Approved" not in client.get("/").text  # the scoreboard is now cached
    # Another web process approves a submission: rows written straight to the database,
    # so nothing of this process's cache is cleared.
    with app.app_context(), get_db().scope(write=True) as session:
        site = Site(domain="new.example.org", name="Newly Approved", active=True)
        target = Target(site=site, url="https://new.example.org/join", kind="signup")
        session.add_all([site, target])
        session.flush()
        run = start_run(session, {"kind": "submission"})
        record_check(session, run_id=run.id, target_id=target.id, report=report(
            "https://new.example.org/join", "missing", datetime.now(UTC), [MISSING]))
        finish_run(session, run.id)
    assert "Newly Approved" in client.get("/").text
    domains = {s["domain"] for s in client.get("/api/v1/sites?per_page=100").json["items"]}
    assert "new.example.org" in domains


def test_the_letter_of_a_static_check_names_no_screenshot(client: FlaskClient) -> None:
    token = csrf_from(client, "/write/travel.example.net")
    html = client.post("/write/travel.example.net", data={
        "csrf_token": token, "language": "en", "variant": "polite", "target": "2",
        "personal": PERSONAL}).get_data(as_text=True)
    body = html.split('id="letter-body"', 1)[1].split("</textarea>", 1)[0]
    assert "read from the page&#39;s HTML" in body and "Kosovo (Serbia)" in body
    assert "screenshot" not in body.lower()
    # The shop's last conclusive check was read in a browser and kept its screenshot.
    token = csrf_from(client, "/write/shop.example.com")
    html = client.post("/write/shop.example.com", data={
        "csrf_token": token, "language": "en", "variant": "polite", "target": "1",
        "personal": PERSONAL}).get_data(as_text=True)
    body = html.split('id="letter-body"', 1)[1].split("</textarea>", 1)[0]
    assert "read in a real browser" in body
    assert "a screenshot of the country field and the whole list" in body


def test_submission_of_the_same_url_goes_to_its_status(loopback_app: Flask, demoweb) -> None:
    client = loopback_app.test_client()
    first = _submit(client, demoweb.url("/checkout-en.html"))
    second = _submit(client, demoweb.url("/checkout-en.html"))
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(loopback_app, Submission) == 1


def test_submissions_are_rate_limited_per_client(loopback_app: Flask, demoweb) -> None:
    client = loopback_app.test_client()
    assert _submit(client, demoweb.url("/checkout-en.html")).status_code == 303
    assert _submit(client, demoweb.url("/signup-de.html")).status_code == 303
    refused = _submit(client, demoweb.url("/signup-sq.html"))
    assert refused.status_code == 429 and "signup-sq" not in refused.text
    other = loopback_app.test_client()
    response = _submit_from(other, demoweb.url("/signup-sq.html"), "192.0.2.7")
    assert response.status_code == 303
    with loopback_app.app_context(), get_db().scope() as session:
        clients = session.scalars(select(RateEvent.client)).all()
    assert clients and all("127.0.0.1" not in c and "192.0.2.7" not in c for c in clients)


def _submit_from(client: FlaskClient, url: str, address: str) -> Any:
    environ = {"REMOTE_ADDR": address}
    page = client.get("/submit", environ_base=environ)
    token = page.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post("/submit", data={"csrf_token": token, "url": url},
                       environ_base=environ)


def test_the_queue_is_capped(loopback_app: Flask, demoweb) -> None:
    pages = ["/checkout-en.html", "/signup-de.html", "/signup-sq.html", "/signup-zh.html"]
    codes = [_submit_from(loopback_app.test_client(), demoweb.url(p), f"192.0.2.{n}")
             .status_code for n, p in enumerate(pages, 1)]
    assert codes == [303, 303, 303, 503]


def test_the_worker_refuses_a_private_address_at_fetch_time(loopback_app: Flask) -> None:
    """A URL that passed validation but resolves elsewhere when fetched is refused then."""
    from datetime import UTC, datetime

    with loopback_app.app_context(), get_db().scope(write=True) as session:
        session.add(Submission(token="t" * 24, url="http://10.1.2.3/form", domain="10.1.2.3",
                               status="queued", created_at=datetime.now(UTC)))
    pool_of(loopback_app).worker.run_pending()
    with loopback_app.app_context(), get_db().scope() as session:
        found = session.execute(select(Submission)).scalar_one()
    assert (found.verdict, found.reason) == ("error", "private_address")


# --- wrong verdicts -----------------------------------------------------------------------

def test_report_a_wrong_verdict(app: Flask, client: FlaskClient, history) -> None:
    check_id = history["shop_conclusive"]
    token = csrf_from(client, f"/report/{check_id}")
    response = client.post(f"/report/{check_id}", data={
        "csrf_token": token, "claimed": "listed", "note": "It is there <b>now</b>"})
    assert response.status_code == 303
    assert _count(app, WrongVerdictReport, WrongVerdictReport.status == "open") == 1
    assert client.get("/report/999999").status_code == 404
    bad = client.post(f"/report/{check_id}", data={"csrf_token": token, "claimed": "nonsense"})
    assert bad.status_code == 400


# --- admin --------------------------------------------------------------------------------

@pytest.fixture
def admin(app: Flask) -> str:
    with app.app_context(), get_db().scope(write=True) as session:
        create_admin(session, "mod", "a long enough password")
    return "mod"


def _login(client: FlaskClient, password: str = "a long enough password") -> Any:
    token = csrf_from(client, "/admin/login")
    return client.post("/admin/login", data={"csrf_token": token, "username": "mod",
                                             "password": password})


def test_admin_needs_login_and_has_no_default_account(app: Flask, client: FlaskClient) -> None:
    assert _count(app, AdminUser) == 0
    assert client.get("/admin/").status_code == 303
    for password in ("admin", "password", ""):
        token = csrf_from(client, "/admin/login")
        response = client.post("/admin/login", data={"csrf_token": token, "username": "admin",
                                                     "password": password})
        assert response.status_code in (400, 401)
    assert client.get("/admin/").status_code == 303


def test_admin_login_wrong_password_and_rate_limit(admin: str, client: FlaskClient) -> None:
    assert _login(client, "wrong").status_code == 401
    codes = [_login(client, "wrong").status_code for _ in range(10)]
    assert codes[-1] == 429
    assert _login(client).status_code == 429  # even the right password waits


def test_admin_moderates_a_submission(loopback_app: Flask, demoweb) -> None:
    with loopback_app.app_context(), get_db().scope(write=True) as session:
        create_admin(session, "mod", "a long enough password")
    client = loopback_app.test_client()
    _submit(client, demoweb.url("/checkout-world-missing.html"))
    pool_of(loopback_app).worker.run_pending()
    assert _login(client).status_code == 303
    queue = client.get("/admin/").text
    assert "checkout-world-missing" in queue
    with loopback_app.app_context(), get_db().scope() as session:
        submission_id = session.execute(select(Submission.id)).scalar_one()
    page = f"/admin/submissions/{submission_id}"
    token = csrf_from(client, page)
    response = client.post(f"{page}/approve", data={
        "csrf_token": token, "name": "Demo Checkout", "company": "Demo Co",
        "category": "e-commerce", "kind": "checkout"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/site/127.0.0.1")
    site = client.get("/site/127.0.0.1").text
    assert "Demo Checkout" in site and "Leaves Kosovo out" in site
    with loopback_app.app_context(), get_db().scope() as session:
        assert session.execute(select(Submission.status)).scalar_one() == "approved"
        company = session.execute(select(Company).where(Company.name == "Demo Co")).scalar_one()
        site_row = session.execute(select(Site).where(Site.company_id == company.id)
                                   ).scalar_one()
        assert site_row.catalog == "submissions"
        assert session.execute(select(func.count()).select_from(Check).join(Target).where(
            Target.site_id == site_row.id)).scalar_one() == 1
    # The citizen's status page now links to the site page.
    with loopback_app.app_context(), get_db().scope() as session:
        token_of = session.execute(select(Submission.token)).scalar_one()
    status = client.get(f"/submit/{token_of}").text
    assert 'id="site-link"' in status and 'href="/site/127.0.0.1"' in status
    # Approving twice is refused, not duplicated.
    again = client.post(f"{page}/approve", data={"csrf_token": token, "name": "x",
                                                 "kind": "checkout"})
    assert again.status_code == 303 and again.headers["Location"].endswith(page)


def test_admin_rejects_resolves_edits_and_rechecks(loopback_app: Flask, demoweb) -> None:
    from datetime import UTC, datetime

    with loopback_app.app_context(), get_db().scope(write=True) as session:
        create_admin(session, "mod", "a long enough password")
        target = Target(site=Site(domain="127.0.0.1", name="Local demo"),
                        url=demoweb.url("/checkout-en.html"), kind="checkout")
        session.add(target)
        session.flush()
        target_id = target.id
        session.add(Submission(token="s" * 24, url="https://x.example/", domain="x.example",
                               status="checked", verdict="listed",
                               created_at=datetime.now(UTC)))
    client = loopback_app.test_client()
    _login(client)
    token = csrf_from(client, "/admin/")
    with loopback_app.app_context(), get_db().scope() as session:
        submission_id = session.execute(select(Submission.id)).scalar_one()
    client.post(f"/admin/submissions/{submission_id}/reject",
                data={"csrf_token": token, "note": "not a form"})
    # Contacts.
    response = client.post("/admin/sites/127.0.0.1/contacts", data={
        "csrf_token": token, "kind": "email", "value": "help@demo.example"})
    assert response.status_code == 303
    assert "help@demo.example" in client.get("/admin/sites/127.0.0.1").text
    client.post("/admin/sites/127.0.0.1/contacts", data={
        "csrf_token": token, "kind": "email", "value": "not an address"})
    assert "not an address" not in client.get("/admin/sites/127.0.0.1").text
    # A link a page would show must be a web link: never javascript: or data:.
    for kind, value in (("form", "javascript:alert(1)"), ("page", "data:text/html,<b>x</b>"),
                        ("social", "https://x.example/a\nb"), ("phone", "call me")):
        client.post("/admin/sites/127.0.0.1/contacts", data={
            "csrf_token": token, "kind": kind, "value": value})
    shown = client.get("/admin/sites/127.0.0.1").text
    assert "javascript:" not in shown and "data:text" not in shown and "call me" not in shown
    # A re-check, done by the worker, adds a check to the history.
    assert client.post(f"/admin/targets/{target_id}/recheck",
                       data={"csrf_token": token}).status_code == 303
    assert pool_of(loopback_app).worker.run_pending() == 1
    with loopback_app.app_context(), get_db().scope() as session:
        assert session.execute(select(Submission.status)).scalar_one() == "rejected"
        job = session.execute(select(RecheckRequest)).scalar_one()
        assert job.status == "done" and job.check_id is not None
        assert session.get(Check, job.check_id).verdict == "listed"
    # Sign out.
    client.post("/admin/logout", data={"csrf_token": token})
    assert client.get("/admin/").status_code == 303


def test_admin_resolves_a_report(app: Flask, admin: str, client: FlaskClient, history) -> None:
    check_id = history["shop_conclusive"]
    token = csrf_from(client, f"/report/{check_id}")
    client.post(f"/report/{check_id}", data={"csrf_token": token, "claimed": "other"})
    _login(client)
    with app.app_context(), get_db().scope() as session:
        report_id = session.execute(select(WrongVerdictReport.id)).scalar_one()
    page = client.get(f"/admin/reports/{report_id}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    token = csrf_from(client, f"/admin/reports/{report_id}")
    client.post(f"/admin/reports/{report_id}/dismissed", data={"csrf_token": token})
    assert _count(app, WrongVerdictReport, WrongVerdictReport.status == "dismissed") == 1


def test_admin_create_command(tmp_path, monkeypatch, web_db) -> None:
    from xktracker.cli import main

    url, _ = web_db
    monkeypatch.setenv("XKTRACKER_DATABASE_URL", url)
    runner = CliRunner()
    made = runner.invoke(main, ["admin", "create", "alba"],
                         input="correct horse battery\ncorrect horse battery\n")
    assert made.exit_code == 0, made.output
    assert "correct horse" not in made.output
    mismatch = runner.invoke(main, ["admin", "create", "other"],
                             input="correct horse battery\nsomething else entirely\n" * 3)
    assert mismatch.exit_code != 0
    short = runner.invoke(main, ["admin", "create", "third"], input="short\nshort\n")
    assert short.exit_code != 0 and "at least" in short.output
    twice = runner.invoke(main, ["admin", "create", "alba"],
                          input="correct horse battery\ncorrect horse battery\n")
    assert twice.exit_code != 0 and "exists" in twice.output


# --- the same writes on PostgreSQL --------------------------------------------------------

def test_writes_on_each_backend(db_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Tally upserts, the rate limit, the job claim and moderation on SQLite and PostgreSQL."""
    from datetime import UTC, datetime

    from db.evidence import EvidenceStore
    from db.migrate import upgrade
    from db.session import Database
    from tests.web_fixtures import build_history

    upgrade(db_url)
    with Database(db_url) as database:
        build_history(database, EvidenceStore(tmp_path / "evidence"), days=3)
    application = make_app(db_url, tmp_path / "evidence", tmp_path, SUBMISSION_RATE=(1, 60))
    try:
        client = application.test_client()
        token = csrf_from(client, "/write/shop.example.com")
        for _ in range(2):
            assert client.post("/write/shop.example.com/tally", data={
                "csrf_token": token, "channel": "post"}).status_code == 303
        assert _count(application, ActionTally) == 1
        with application.app_context(), get_db().scope() as session:
            assert session.execute(select(ActionTally.count)).scalar_one() == 2
        assert _submit(client, "http://10.0.0.1/").status_code == 400
        with application.app_context(), get_db().scope(write=True) as session:
            session.add(Submission(token="p" * 24, url="http://10.9.8.7/", domain="10.9.8.7",
                                   status="queued", created_at=datetime.now(UTC)))
        worker = pool_of(application).worker
        assert worker.run_pending() == 1 and worker.run_pending() == 0
        with application.app_context(), get_db().scope() as session:
            assert session.execute(select(Submission.reason)).scalar_one() == "private_address"
        token = csrf_from(client, "/report/1")
        assert client.post("/report/1", data={"csrf_token": token, "claimed": "listed"}
                           ).status_code == 303
        assert client.post("/report/1", data={"csrf_token": token, "claimed": "listed"}
                           ).status_code == 429
    finally:
        get_db_of(application).dispose()
