#!/usr/bin/env bash
# `make run`: the development web server and one job worker beside it; Ctrl-C stops both.
# usage: scripts/serve.sh PYTHON PORT
set -euo pipefail
py=$1
port=$2
"$py" manage.py db_worker --no-reload --no-startup-delay --interval 0.5 --queue-name "${JOBS_QUEUE:-default}" -v 1 &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Job worker started (pid $worker)"
"$py" manage.py runserver "127.0.0.1:$port"
