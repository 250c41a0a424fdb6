#!/usr/bin/env bash
# The daily crawl (docs/crawling.md): reload the catalog, crawl every active target, and run the
# crawl once more if the first attempt left targets unchecked (it resumes the same run).
# A lock keeps a slow crawl from overlapping the next one. Install with scripts/crontab.example.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi

XKTRACKER="${XKTRACKER:-.venv/bin/xktracker}"
mkdir -p instance
exec 9>instance/crawl.lock
if ! flock -n 9; then
  echo "$(date -u +%FT%TZ) another crawl is still running; not starting" >&2
  exit 0
fi

echo "$(date -u +%FT%TZ) crawl starting"
"$XKTRACKER" init
"$XKTRACKER" catalog load db/catalog/sites.yaml
if ! "$XKTRACKER" crawl --quiet; then
  echo "$(date -u +%FT%TZ) targets left unchecked: resuming the run once" >&2
  "$XKTRACKER" crawl --quiet
fi
echo "$(date -u +%FT%TZ) crawl done"
