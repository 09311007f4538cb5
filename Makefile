# VGP — the two commands a fresh machine needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := .venv/bin/python
# uv from the PATH, else bootstrapped once into .tools/ from PyPI.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run test lint bench assets install migrate demo messages check-deploy clean

help:
	@echo "make run    set up everything, load demo data, serve on http://$(HOST):$(PORT) with a worker"
	@echo "make test   run the whole test suite"
	@echo "make lint   ruff, formatting and mypy"
	@echo "make bench  benchmarks (writes bench/results/*.json)"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python 3.11
	@touch $@

install: .venv/.synced

build/.assets: package.json package-lock.json scripts/build_assets.mjs
	npm ci --no-audit --no-fund --loglevel=error
	node scripts/build_assets.mjs
	@touch $@

assets: build/.assets

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate assets
	$(PY) manage.py load_demo

run: export SITE_BASE_URL ?= http://$(HOST):$(PORT)
run: export VGP_REQUIRE_2FA ?= false
run: demo
	bash scripts/run.sh $(HOST) $(PORT)

test: install assets
	bash scripts/test.sh

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy vgp
	bash scripts/messages.sh --check

bench: install assets
	$(PY) bench/run.py
	$(PY) bench/legal.py $(BENCH_LEGAL_ARGS)
	$(PY) bench/feedback.py $(BENCH_FEEDBACK_ARGS)
	$(PY) bench/documents.py $(BENCH_DOCUMENTS_ARGS)
	$(PY) bench/signatures.py $(BENCH_SIGNATURES_ARGS)

messages: install
	bash scripts/messages.sh

check-deploy: install
	DJANGO_ENV=production SECRET_KEY=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(64))') \
	SIGNATURE_KEY_PASSPHRASE=$$(python3 -c 'import secrets;print(secrets.token_urlsafe(32))') \
	ALLOWED_HOSTS=portal.example.gov.vn CACHE_URL=redis://127.0.0.1:6379/0 $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf build node_modules .venv .tools
