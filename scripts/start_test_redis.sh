#!/usr/bin/env bash
# Start the local Redis the distributed-crawl tests use (port 6390, loopback only, nothing kept
# on disk). Idempotent: does nothing when it already answers. Needs redis-server installed
# (apt-get install -y redis-server); the tests then reach it at redis://127.0.0.1:6390/0.
set -euo pipefail

PORT="${XK_TEST_REDIS_PORT:-6390}"

if ! command -v redis-server >/dev/null; then
  echo "redis-server not found: apt-get install -y redis-server" >&2
  exit 1
fi

answers() {
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -h 127.0.0.1 -p "$PORT" ping 2>/dev/null || true)" = "PONG" ]
  else
    # No client: ask with bash's own TCP redirection.
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null || return 1
    printf 'PING\r\n' >&3
    local reply
    read -r -t 2 reply <&3 || true
    exec 3>&-
    [ "${reply%$'\r'}" = "+PONG" ]
  fi
}

if answers; then
  exit 0
fi
# A test server: no snapshots, no append-only file, gone when the machine restarts.
redis-server --port "$PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
  --dir /tmp --logfile "/tmp/xktracker-test-redis-$PORT.log"
for _ in $(seq 1 50); do
  if answers; then
    echo "redis answering on 127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.1
done
echo "redis did not start on 127.0.0.1:$PORT (see /tmp/xktracker-test-redis-$PORT.log)" >&2
exit 1
