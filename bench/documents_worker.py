"""The Django side of bench/documents.py, inside a throwaway database.

    python bench/documents_worker.py prepare N
    python bench/documents_worker.py pages ROUNDS

Each prints one line ``RESULT {json}`` for bench/documents.py to read.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vgp.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

# The office's clerk, leader, a unit head and a handler of the demo accounts.
PERSONAS = ("vanthu", "lanhdao", "truongvu", "chuyenvien")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(count: int) -> dict[str, Any]:
    from vgp.accounts.role_sync import sync_roles
    from vgp.agencies.importing import load_initial_agencies
    from vgp.demo.accounts import ensure_demo_accounts
    from vgp.documents.models import Document

    load_initial_agencies()
    sync_roles()
    ensure_demo_accounts()
    began = time.perf_counter()
    call_command("generate_documents", str(count), verbosity=0)
    seconds = time.perf_counter() - began
    # The full-text index, as an installation keeps it: word searches go through it.
    began = time.perf_counter()
    call_command("rebuild_documents_index", verbosity=0)
    index_seconds = time.perf_counter() - began
    return {
        "documents": Document.objects.count(),
        "generate_seconds": round(seconds, 1),
        "generate_docs_per_s": round(count / seconds),
        "index_seconds": round(index_seconds, 1),
        "index_docs_per_s": round(count / index_seconds),
        "peak_mb": round(_peak_mb()),
    }


def _pages() -> dict[str, tuple[str, str]]:
    """name -> (persona, address): the list and filter pages staff open all day."""
    from vgp.documents.models import Document, Status

    sample = (
        Document.objects.filter(direction="in", status=Status.IN_PROGRESS, secrecy=0)
        .order_by("-id")
        .values_list("pk", "number_symbol")
        .first()
    )
    assert sample is not None, "no document in progress: prepare first"
    pk, symbol = sample
    base = "/quan-tri/van-ban"
    return {
        "incoming list (clerk)": ("vanthu", f"{base}/den/"),
        "incoming list, page 40 (clerk)": ("vanthu", f"{base}/den/?p=40"),
        "incoming, status filter (clerk)": ("vanthu", f"{base}/den/?status=in_progress"),
        "incoming, urgent filter (leader)": ("lanhdao", f"{base}/den/?urgency=3"),
        "incoming, search by symbol (clerk)": ("vanthu", f"{base}/den/?q={symbol}"),
        "incoming, search by words (clerk)": ("vanthu", f"{base}/den/?q=chuyển đổi số"),
        "outgoing list (leader)": ("lanhdao", f"{base}/di/"),
        "incoming list (handler)": ("chuyenvien", f"{base}/den/"),
        "incoming list (unit head)": ("truongvu", f"{base}/den/"),
        "my work (handler)": ("chuyenvien", f"{base}/viec-cua-toi/"),
        "tracking (unit head)": ("truongvu", f"{base}/theo-doi/"),
        "document page (clerk)": ("vanthu", f"{base}/{pk}/"),
    }


def pages(rounds: int) -> dict[str, Any]:
    from vgp.accounts.models import User
    from vgp.core.startup import load_and_freeze

    load_and_freeze()  # as vgp/wsgi.py does in each web process
    clients = {}
    for username in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        clients[username] = client
    results: dict[str, Any] = {}
    load_before = round(os.getloadavg()[0], 2)
    with override_settings(VGP_REQUIRE_2FA=False, DEBUG=False):
        for name, (persona, address) in _pages().items():
            client = clients[persona]
            for _ in range(3):  # warm-up: template and query caches
                response = client.get(address)
                assert response.status_code == 200, (name, response.status_code)
            timings, cpu = [], []
            for _ in range(rounds):
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(address)
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                assert response.status_code == 200, (name, response.status_code)
            with override_settings(DEBUG=True):
                reset_queries()
                client.get(address)
                queries = len(connection.queries)
            timings.sort()
            results[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
                "max_ms": round(timings[-1], 1),
                # This process's CPU (Django, and SQLite inside it; not PostgreSQL's): less
                # sensitive than the clock to other work on the machine.
                "cpu_p50_ms": round(statistics.median(cpu), 1),
                "queries": queries,
                "bytes": len(response.content),
            }
    return {"pages": results, "peak_mb": round(_peak_mb()), "load_before": load_before}


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "prepare":
        print("RESULT " + json.dumps(prepare(int(sys.argv[2]))))
    elif command == "pages":
        print("RESULT " + json.dumps(pages(int(sys.argv[2]))))
    else:
        raise SystemExit(__doc__)
