"""The citizens' dashboard: who leaves Kosovo out, the evidence, letters, submissions.

One application factory, as in Flask's tutorial: defaults, then the ``XKTRACKER_*``
settings, then a test mapping; each extension wired through ``init_app``; one blueprint
per page group with its templates under ``templates/<blueprint>/``.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from foundation import settings as settings_mod
from foundation.errors import SettingsError

# The web app's own knobs; what is an XKTRACKER_* setting comes from foundation.settings
# (its declared defaults, or the environment) through _from_settings, never from here.
DEFAULTS: dict[str, Any] = {
    # Networks a submitted URL may resolve to besides public ones. Only tests set this (to
    # reach the local demo web); there is no setting for it, so production never can.
    "SUBMISSION_ALLOW_NETWORKS": (),
    "CHECK_BROWSER": "auto",
    "CHECK_TIMEOUT": 20.0,
    # A claimed job whose worker died is taken again after this long.
    "CHECK_STALE_SECONDS": 600,
    # How long the scoreboard's expensive numbers (and a rendered page) are reused while new
    # checks arrive before they are made again (in the background).
    "CACHE_SECONDS": 60,
    # Public pages kept rendered (tracker_web.pagecache); memory per process for them.
    "PAGE_CACHE": True,
    "PAGE_CACHE_BYTES": 96 * 1024 * 1024,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "xk_session",
    "PERMANENT_SESSION_LIFETIME": 8 * 3600,
    "WTF_CSRF_TIME_LIMIT": 4 * 3600,
    "BABEL_DEFAULT_LOCALE": "en",
    "START_WORKERS": True,
}
# What a public instance must say about itself before it may start.
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "ORGANISATION", "CONTACT", "SOURCE_URL")


def _from_settings(conf: settings_mod.Settings) -> dict[str, Any]:
    return {
        "DATABASE_URL": conf.database_url,
        "DATA_DIR": str(conf.data_dir),
        "ENV_NAME": conf.env,
        "SECRET_KEY": conf.secret_key,
        "SUBMISSION_RATE": conf.submission_rate,
        "SUBMISSION_QUEUE": conf.submission_queue,
        "CHECK_WORKERS": conf.check_workers,
        "PROXY_COUNT": conf.proxy_count,
        "BROWSER_PATH": conf.browser_path,
        "SESSION_COOKIE_SECURE": conf.production,
        "ORGANISATION": conf.organisation,
        "CONTACT": conf.contact,
        "SOURCE_URL": conf.source_url,
        "LICENCE": conf.licence,
        "CORRECTIONS_URL": conf.corrections_url,
        "PAGE_MAX_AGE": conf.page_max_age,
        "PUBLIC_HOSTS": conf.public_hosts,
    }


def instance_secret(folder: Path) -> str:
    """The per-instance key kept in ``folder/secret_key`` (made once, readable by us only).

    Used when no ``XKTRACKER_SECRET_KEY`` is set outside production, so sessions survive a
    restart without anyone having to invent a key.
    """
    path = folder / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults → ``XKTRACKER_*`` settings → ``test_config``."""
    conf = settings_mod.load()
    overrides = dict(test_config or {})
    instance = Path(overrides.pop("INSTANCE_DIR", conf.instance_dir)).resolve()
    app = Flask(__name__, instance_path=str(instance))
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(_from_settings(conf))
    app.config.from_mapping(overrides)
    if app.config["ENV_NAME"] == "production":
        # Several processes must share one key, and it must survive a redeploy; and a public
        # instance says who runs it, how to reach them and where its code is.
        absent = [name for name in REQUIRED_IN_PRODUCTION if not app.config.get(name)]
        if absent:
            raise SettingsError(
                f"{settings_mod.PREFIX}ENV=production needs "
                + ", ".join(settings_mod.PREFIX + name for name in absent)
                + " (docs/settings.md; a key: python -c 'import secrets; "
                "print(secrets.token_hex(32))')")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret(instance)

    from tracker_web import database, facts, i18n, pagecache, security, templating, worker
    from tracker_web.extensions import csrf

    database.init_app(app)
    facts.init_app(app)
    pagecache.init_app(app)
    if app.config["PROXY_COUNT"]:
        # Outside the page cache: a kept page is keyed by the host and scheme the proxy saw.
        hops = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops)
    csrf.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    worker.init_app(app)

    from tracker_web import admin, api, data, discovery, scoreboard, sites, submit, write

    app.register_blueprint(scoreboard.bp)
    app.register_blueprint(sites.bp)
    app.register_blueprint(write.bp)
    app.register_blueprint(submit.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # read-only JSON: no cookie-authenticated writes to protect
    app.register_blueprint(data.bp)
    app.register_blueprint(discovery.bp)

    if app.config["START_WORKERS"] and not app.testing:
        from tracker_web.warming import warm_at_start

        threading.Thread(target=warm_at_start, args=(app,), name="xk-warm",
                         daemon=True).start()
    return app
