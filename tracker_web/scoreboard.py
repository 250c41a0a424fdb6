"""The scoreboard (home), the upstream libraries page and the about page."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from db.verdicts import STACKED
from tracker_web import facts
from tracker_web.charts import COLOURS
from tracker_web.database import session
from tracker_web.letters import upstream_message
from tracker_web.libraries import libraries
from tracker_web.pagecache import MAX_VALUE, public_page
from tracker_web.templating import page_of

bp = Blueprint("scoreboard", __name__)


@bp.get("/")
@public_page("q", "category", "verdict", "page")
def index() -> str:
    board = facts.scoreboard(session())
    q = request.args.get("q", "")[:MAX_VALUE]  # all of what the page cache keys
    category = request.args.get("category", "")
    verdict = request.args.get("verdict", "")
    if category not in board.categories:
        category = ""
    if verdict not in facts.SCORE_ORDER:
        verdict = ""
    found = facts.filter_sites(board.sites, q=q, category=category, verdict=verdict)
    page = page_of(len(found))
    return render_template(
        "scoreboard/index.html", board=board, chart=board.chart,
        parts=STACKED, colours=COLOURS, sites=found[page.start:page.end], page=page, q=q,
        category=category, verdict=verdict, filtered=bool(q or category or verdict))


@bp.get("/upstream")
@public_page()
def upstream() -> str:
    found = libraries(session())
    messages = {e.id: upstream_message(e.name, len(e.sites_without), e.fix)
                for e in found.entries if e.lacks_kosovo}
    return render_template("scoreboard/upstream.html", found=found, messages=messages)


@bp.get("/about")
@public_page()
def about() -> str:
    return render_template("scoreboard/about.html")

