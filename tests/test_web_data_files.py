"""The whole history as ready files (made after a crawl, by ``xktracker publish``), served as
they are; part of it streamed only when bounded; ``publish`` renders the kept pages again."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from db.session import Database
from reports.export import iter_csv, iter_jsonl
from reports.published import folder_of, publish, read_manifest
from tests.web_fixtures import app, client, history, web_db  # noqa: F401
from tracker_web import data as data_module
from xktracker.cli import main


def _get(client: FlaskClient, path: str, **kwargs: object) -> TestResponse:
    """A response read whole and closed (a served file is open until its response is)."""
    with client.get(path, **kwargs) as response:  # type: ignore[arg-type]
        response.get_data()
        return response


def _publish(app: Flask, **kwargs: object) -> object:
    with Database(app.config["DATABASE_URL"]) as database:
        return publish(database, folder_of(Path(app.instance_path)), **kwargs)  # type: ignore[arg-type]


def test_publish_writes_the_exports_in_one_pass(app: Flask) -> None:
    folder = folder_of(Path(app.instance_path))
    assert read_manifest(folder) is None
    made = _publish(app, now=datetime(2026, 11, 23, 6, tzinfo=UTC))
    found = read_manifest(folder)
    assert found == made and found is not None
    with Database(app.config["DATABASE_URL"]) as database:
        csv_ = b"".join(iter_csv(database))
        jsonl = b"".join(iter_jsonl(database))
    files = {fmt: (folder / f.name).read_bytes() for fmt, f in found.files.items()}
    assert files["csv"] == csv_ and files["jsonl"] == jsonl
    assert found.rows == jsonl.count(b"\n") > 10
    for fmt, body in files.items():
        assert found.files[fmt].sha256 == hashlib.sha256(body).hexdigest()
        assert found.files[fmt].size == len(body)
    with zipfile.ZipFile(io.BytesIO(files["datapackage"])) as archive:
        names = {Path(n).name: n for n in archive.namelist()}
        assert archive.read(names["field_checks.csv"]) == csv_
        package = json.loads(archive.read(names["datapackage.json"]))
        assert package["resources"][0]["hash"].endswith(hashlib.sha256(csv_).hexdigest())
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["created"] == "2026-11-23T06:00:00Z"
    # A new publication replaces the set; the previous set stays until the next one (a
    # reader may have read the old manifest a moment ago), older sets go.
    again = _publish(app, now=datetime(2026, 11, 24, 6, tzinfo=UTC))
    names = {f.name for f in again.files.values()}  # type: ignore[attr-defined]
    assert {p.name for p in folder.glob("xktracker-*")} == names | {
        f.name for f in made.files.values()}  # type: ignore[attr-defined]
    third = _publish(app, now=datetime(2026, 11, 25, 6, tzinfo=UTC))
    assert {p.name for p in folder.glob("xktracker-*")} == names | {
        f.name for f in third.files.values()}  # type: ignore[attr-defined]
    assert not list(folder.glob(".*.tmp")) and not list(folder.glob(".xktracker*"))


def test_a_publication_between_manifest_and_file_is_no_error(app: Flask) -> None:
    """A download reads the manifest, then opens the file it names; publications may end in
    between (the crawl's process): the file is found, or the manifest is read again."""
    _publish(app, now=datetime(2026, 11, 23, 6, tzinfo=UTC))
    with app.test_request_context("/data/xktracker.csv"):
        read = data_module.published()
        assert read is not None
        _publish(app, now=datetime(2026, 11, 24, 6, tzinfo=UTC))  # one publication
        with data_module._ready_file("csv", read) as answer:
            assert answer.status_code == 200
            assert answer.headers["ETag"] == f'"{read.files["csv"].sha256}"'
        newest = _publish(app, now=datetime(2026, 11, 25, 6, tzinfo=UTC))  # a second one
        assert not (folder_of(Path(app.instance_path)) / read.files["csv"].name).exists()
        with data_module._ready_file("csv", read) as answer:  # its file is gone
            assert answer.status_code == 200
            assert answer.headers["ETag"] == f'"{newest.files["csv"].sha256}"'  # type: ignore[attr-defined]
            assert answer.headers["Last-Modified"] == "Wed, 25 Nov 2026 06:00:00 GMT"


def test_the_data_page_serves_the_ready_files(app: Flask, client: FlaskClient) -> None:
    waiting = client.get("/data/xktracker.csv")
    assert waiting.status_code == 503 and waiting.headers["Retry-After"] == "3600"
    made = _publish(app, now=datetime(2026, 11, 23, 6, tzinfo=UTC))
    for fmt, suffix in (("csv", "csv"), ("jsonl", "jsonl"), ("datapackage", "zip")):
        ready = made.files[fmt]  # type: ignore[attr-defined]
        answer = _get(client, f"/data/xktracker.{fmt}")
        assert answer.status_code == 200
        assert answer.data == (folder_of(Path(app.instance_path)) / ready.name).read_bytes()
        assert answer.headers["ETag"] == f'"{ready.sha256}"'
        assert answer.headers["Last-Modified"] == "Mon, 23 Nov 2026 06:00:00 GMT"
        assert answer.headers["Content-Disposition"] == (
            f"attachment; filename=xktracker-2026-11-23.{suffix}")
        assert _get(client, f"/data/xktracker.{fmt}", headers={
            "If-None-Match": answer.headers["ETag"]}).status_code == 304
    part = _get(client, "/data/xktracker.csv", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and len(part.data) == 10
    assert _get(client, "/api/v1/export.csv").data == _get(client, "/data/xktracker.csv").data


def test_part_of_the_history_only_when_bounded(client: FlaskClient) -> None:
    assert _get(client, "/data/xktracker.csv?since=2026-10-01&until=2026-10-31"
                      ).status_code == 200
    assert _get(client, "/data/xktracker.csv?since=2026-01-01").status_code == 400
    assert _get(client, "/data/xktracker.csv?since=2026-01-01&until=2026-12-31"
                      ).status_code == 400
    many = "&".join(f"site=s{n}.example" for n in range(11))
    assert _get(client, f"/data/xktracker.csv?{many}").status_code == 400
    assert _get(client, "/data/xktracker.csv?site=shop.example.com&since=2020-01-01"
                      ).status_code == 200


def test_at_most_a_few_streams_at_once(app: Flask) -> None:
    clients = [app.test_client() for _ in range(data_module.STREAMS + 1)]
    path = "/data/xktracker.jsonl?site=shop.example.com"
    open_ = [c.get(path, buffered=False) for c in clients[:data_module.STREAMS]]
    assert all(r.status_code == 200 for r in open_)
    refused = clients[-1].get(path)
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "30"
    open_[0].close()  # a finished (or abandoned) download gives its slot back
    assert clients[-1].get(path).status_code == 200
    for response in open_[1:]:
        response.close()


def test_publish_command_makes_the_files_and_renders_the_kept_pages(
        app: Flask, client: FlaskClient, monkeypatch) -> None:
    from tests.test_web_pagecache import _add_check

    old = client.get("/site/market.example.com")
    before = {p.name: p.read_bytes() for p in Path(app.instance_path).rglob("*.page")}
    assert len(before) == 1
    _add_check(app, "market.example.com", "missing")
    for name, value in {"DATABASE_URL": app.config["DATABASE_URL"],
                        "DATA_DIR": app.config["DATA_DIR"],
                        "INSTANCE_DIR": app.instance_path}.items():
        monkeypatch.setenv(f"XKTRACKER_{name}", str(value))
    result = CliRunner().invoke(main, ["publish"])
    assert result.exit_code == 0, result.output
    assert "open data: " in result.output and "dashboard: " in result.output
    assert read_manifest(folder_of(Path(app.instance_path))) is not None
    after = {p.name: p.read_bytes() for p in Path(app.instance_path).rglob("*.page")}
    # The page visitors asked for, and the main pages of that address in every language.
    assert len(after) == 1 + 6 * 3
    assert all(name in after and after[name] != body for name, body in before.items())
    # The web process answers from the crawl's rendering, without rendering it itself.
    fresh = client.get("/site/market.example.com")
    assert fresh.data != old.data and any(v.endswith(fresh.data) for v in after.values())
    assert CliRunner().invoke(main, ["publish", "--no-files", "--no-pages"]).exit_code == 2
