#!/usr/bin/env bash
# `make run`: the development web server and one job worker beside it; Ctrl-C stops both.
# usage: scripts/serve.sh PYTHON PORT
# The worker is started again if it stops on an error (on SQLite, a database locked for longer than its
# timeout by another writer stops django-tasks-db's worker); in production systemd does this
# (deploy/outreach-worker@.service, Restart=always).
set -euo pipefail
py=$1
port=$2
(
  while true; do
    status=0
    "$py" manage.py db_worker --no-reload --no-startup-delay --interval 0.25 --queue-name "${JOBS_QUEUE:-default}" -v 1 || status=$?
    [ "$status" -eq 0 ] && break
    echo "Job worker stopped (exit status $status); starting it again" >&2
    sleep 1
  done
) &
loop=$!
stop_worker() {
  local children
  children=$(pgrep -P "$loop" || true)
  kill -TERM "$loop" 2>/dev/null || true
  [ -n "$children" ] && kill -TERM $children 2>/dev/null || true
  wait "$loop" 2>/dev/null || true
}
trap stop_worker EXIT INT TERM
echo "Job worker started"
"$py" manage.py runserver "127.0.0.1:$port"
