#!/usr/bin/env bash
# The whole suite. Honours DATABASE_URL (SQLite in memory by default, PostgreSQL when set).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/pytest -q "$@"
