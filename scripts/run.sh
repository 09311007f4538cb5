#!/usr/bin/env bash
# Serve the site together with a background worker and its scheduler; Ctrl-C stops them all.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
cd "$(dirname "$0")/.."

case "${TASKS_BACKEND:-database}" in
  database) worker=(.venv/bin/python manage.py db_worker --interval 1) ;;
  rq) worker=(.venv/bin/python manage.py rqworker default) ;;
  *) worker=() ;;
esac

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

if [ ${#worker[@]} -gt 0 ]; then
  "${worker[@]}" &
  pids+=($!)
  echo "Worker started (pid ${pids[0]})."
  # Enqueues the periodic jobs (scheduled publishing every minute) for that worker.
  .venv/bin/python manage.py run_scheduler &
  pids+=($!)
  echo "Scheduler started (pid ${pids[1]})."
fi
echo "Serving on http://${host}:${port}/  (back office: http://${host}:${port}/quan-tri/)"
.venv/bin/python manage.py runserver "${host}:${port}" &
pids+=($!)
# Say where to sign in once more, after the start-up messages of both processes.
( sleep 4 && .venv/bin/python manage.py load_demo --print-only 2>/dev/null ) &
# Stop everything as soon as any process exits.
wait -n
