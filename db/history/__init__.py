"""The read model of the history: what every surface (dashboard, API, report, feeds) reads.

One place for each question, with the rules of :mod:`db.verdicts`:

* :mod:`db.history.status` – every site's status as of a moment (:func:`site_statuses`);
* :mod:`db.history.events` – changes of targets and sites: first verdicts, wins,
  regressions, with the time an exclusion lasted (:func:`changes`);
* :mod:`db.history.share` – site counts per day, week or month, overall and per category,
  split into :data:`db.verdicts.PARTS` (:func:`share_over_time`);
* :mod:`db.history.upstream` – which upstream libraries the current lists come from
  (:func:`upstream_users`).

Plain functions returning plain frozen dataclasses (``to_dict()`` for JSON). Unless
``include_inactive``, only the active catalog counts, as on the dashboard: a retired site
leaves the numbers (its history stays in the exports). Each function runs a fixed number of
statements and sweeps the rows in Python; the queries fetch changes, not every check.
"""

from db.history.counts import Counts, plain
from db.history.events import Change, ChangeKind, Level, changes
from db.history.share import (
    SharePoint,
    ShareSeries,
    Step,
    bucket_start,
    next_bucket,
    share_over_time,
)
from db.history.status import SiteSnapshot, TargetSnapshot, site_statuses
from db.history.upstream import UpstreamUse, upstream_users

__all__ = [
    "Change", "ChangeKind", "Counts", "Level", "SharePoint", "ShareSeries", "SiteSnapshot",
    "Step", "TargetSnapshot", "UpstreamUse", "bucket_start", "changes", "next_bucket", "plain",
    "share_over_time", "site_statuses", "upstream_users",
]
