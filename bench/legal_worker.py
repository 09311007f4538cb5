"""The Django side of bench/legal.py: run inside a throwaway database and index.

    python bench/legal_worker.py relevance SHARED_DATA_DIR
    python bench/legal_worker.py generate N
    python bench/legal_worker.py queries

Each prints one line ``RESULT {json}`` for bench/legal.py to read.
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


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def relevance(shared: Path) -> dict[str, Any]:
    """Recall@1/5/10 of article search on the 100 ALQAC questions, as written and folded."""
    from rank_bm25 import BM25Okapi

    from vgp.legal.importing import _title_key
    from vgp.legal.models import LegalDocument, Provision
    from vgp.legal.queries import KIND_ARTICLE, SearchParams, search
    from vgp.search.analysis import fold, pairs, syllables

    legal = shared / "data" / "legal"
    began = time.perf_counter()
    call_command(
        "import_legal",
        str(legal / "vn_law_census.json"),
        str(legal / "alqac2023_articles.json"),
        verbosity=0,
    )
    import_seconds = time.perf_counter() - began
    questions = json.loads((legal / "alqac2023_questions_train.json").read_text())
    corpus = json.loads((legal / "alqac2023_articles.json").read_text())

    laws = {_title_key(d.title): d.pk for d in LegalDocument.objects.all()}
    articles = {
        (a.document_id, a.number): a.pk
        for a in Provision.objects.filter(kind="article").only("pk", "document_id", "number")
    }

    def wanted(question: dict[str, Any]) -> set[int]:
        found = set()
        for item in question["relevant_articles"]:
            document = laws.get(_title_key(item["law_id"]))
            pk = articles.get((document, str(item["article_id"])))
            if pk is not None:
                found.add(pk)
        return found

    # The anchor: plain BM25 over syllables and syllable pairs (rank_bm25), as written.
    keys = list(corpus)
    tokenized = []
    for key in keys:
        tokens = syllables(key.split("@")[0] + " " + corpus[key])
        tokenized.append(tokens + pairs(tokens))
    bm25 = BM25Okapi(tokenized)

    def anchor_top(text: str) -> list[str]:
        tokens = syllables(text)
        scores = bm25.get_scores(tokens + pairs(tokens))
        return [keys[i] for i in sorted(range(len(keys)), key=lambda i: -scores[i])[:10]]

    results: dict[str, Any] = {"questions": len(questions), "import_seconds": import_seconds}
    for mode in ("as_written", "folded"):
        hits = {1: 0, 5: 0, 10: 0}
        anchor_hits = {1: 0, 5: 0, 10: 0}
        latencies = []
        for question in questions:
            text = question["text"] if mode == "as_written" else fold(question["text"])
            relevant = wanted(question)
            start = time.perf_counter()
            page = search(SearchParams(q=text, kind=KIND_ARTICLE, per_page=10), with_facets=False)
            latencies.append((time.perf_counter() - start) * 1000)
            top = [hit.article.pk for hit in page.hits if hit.article is not None]
            relevant_keys = {
                f"{item['law_id']}@{item['article_id']}" for item in question["relevant_articles"]
            }
            anchor = anchor_top(text)
            for k in hits:
                hits[k] += bool(relevant & set(top[:k]))
                anchor_hits[k] += bool(relevant_keys & set(anchor[:k]))
        n = len(questions)
        results[mode] = {f"recall@{k}": hits[k] / n for k in hits}
        results[f"anchor_{mode}"] = {f"recall@{k}": anchor_hits[k] / n for k in anchor_hits}
        results[f"{mode}_latency_ms"] = {
            "p50": statistics.median(latencies),
            "max": max(latencies),
        }
    results["documents"] = LegalDocument.objects.count()
    results["articles"] = Provision.objects.filter(kind="article").count()
    return results


def generate(count: int) -> dict[str, Any]:
    from vgp.legal.models import LegalDocument, Provision

    began = time.perf_counter()
    call_command("generate_legal", str(count), verbosity=0, batch_size=1000)
    seconds = time.perf_counter() - began
    return {
        "documents": LegalDocument.objects.count(),
        "articles": Provision.objects.filter(kind="article").count(),
        "import_seconds": seconds,
        "documents_per_second": count / seconds,
        "peak_memory_mb": _peak_mb(),
    }


def queries(repeat: int = 3) -> dict[str, Any]:
    """p50/p95/p99/max of the mixed query set through the same search as the pages and API."""
    from vgp.legal import search_index
    from vgp.legal.content_generator import query_mix
    from vgp.legal.models import DocumentType, LegalDocument, Sector
    from vgp.legal.numbering import query_identifier_terms
    from vgp.legal.queries import (
        KIND_ARTICLE,
        KIND_DOCUMENT,
        SearchParams,
        issuers_matching,
        search,
    )
    from vgp.legal.search_index import document_identifiers

    types = {t.name: t.pk for t in DocumentType.objects.all()}
    sectors = {s.name: s.pk for s in Sector.objects.all()}

    def params(text: str, spec: dict[str, Any], kind: str) -> SearchParams:
        p = SearchParams(q=text, kind=kind)
        if "type" in spec:
            p.types = [types[spec["type"]]]
        if "issuer" in spec:
            p.issuers = issuers_matching(spec["issuer"])
        if "year" in spec:
            p.years = [int(spec["year"])]
        if "status" in spec:
            p.statuses = [spec["status"]]
        if "field" in spec:
            p.sectors = [sectors[spec["field"]]] if spec["field"] in sectors else []
        if "category" in spec:
            p.categories = [spec["category"]]
        return p

    mix = query_mix()
    # A partial spelling ("83/2008", "QĐ-TTg 83") is ambiguous when other documents share its
    # most specific identifier term (numbers restart each year and for each issuer); only the
    # others can be required to find their document first.
    wanted_terms = {
        term
        for text, spec in mix
        if spec["class"] == "number"
        for term in query_identifier_terms(text)
    }
    holders: dict[str, int] = dict.fromkeys(wanted_terms, 0)
    for document in LegalDocument.objects.only("pk", "number_symbol").iterator(chunk_size=5000):
        for term in document_identifiers(document):
            if term in holders:
                holders[term] += 1

    def ambiguous(text: str) -> bool:
        counts = [holders[t] for t in query_identifier_terms(text) if holders.get(t)]
        return not counts or min(counts) > 1

    # Documents with facets (the search page), and articles for the question-like queries.
    runs = [(text, spec, KIND_DOCUMENT) for text, spec in mix] + [
        (text, spec, KIND_ARTICLE) for text, spec in mix if spec["class"] in ("question", "words")
    ]
    for text, spec, kind in runs:  # warm the index and the caches once
        search(params(text, spec, kind))
    timings: dict[str, list[float]] = {}
    found_first = []
    found_first_unambiguous = []
    for _ in range(repeat):
        for text, spec, kind in runs:
            start = time.perf_counter()
            page = search(params(text, spec, kind))
            elapsed = (time.perf_counter() - start) * 1000
            timings.setdefault(f"{kind}:{spec['class']}", []).append(elapsed)
            timings.setdefault("all", []).append(elapsed)
            if spec["class"] == "number" and kind == KIND_DOCUMENT and _ == 0:
                first = bool(page.hits) and spec.get("expect") in (
                    None,
                    page.hits[0].document.number_symbol,
                )
                found_first.append(first)
                if not ambiguous(text):
                    found_first_unambiguous.append(first)

    def summary(values: list[float]) -> dict[str, float]:
        ordered = sorted(values)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

        return {
            "n": len(values),
            "p50": pct(50),
            "p95": pct(95),
            "p99": pct(99),
            "max": ordered[-1],
        }

    return {
        "by_class": {name: summary(values) for name, values in sorted(timings.items())},
        "numbers_found_first": sum(found_first) / max(1, len(found_first)),
        "number_queries_unambiguous": len(found_first_unambiguous),
        "numbers_found_first_unambiguous": (
            sum(found_first_unambiguous) / max(1, len(found_first_unambiguous))
        ),
        "index_bytes": search_index.index_size_bytes(),
        "peak_memory_mb": _peak_mb(),
    }


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "relevance":
        result = relevance(Path(sys.argv[2]))
    elif command == "generate":
        result = generate(int(sys.argv[2]))
    else:
        result = queries()
    print("RESULT " + json.dumps(result))
