"""Demo content of the legal documents database (``load_demo``; idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .content_generator import generate_records
from .importing import Importer, Record, read_file
from .models import LegalDocument

# The test settings make these smaller (the real import has its own tests).
DEMO_SYNTHETIC = 300


def shared_legal_dir() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "legal"


def load_demo_legal() -> str:
    """Import the real sample laws when ``../shared`` is there, and synthetic documents."""
    if LegalDocument.objects.exists():
        return "already loaded"
    importer = Importer(batch_size=500)
    parts = []
    folder = shared_legal_dir()
    samples = [folder / "vn_law_census.json", folder / "alqac2023_articles.json"]
    with_samples = getattr(settings, "LEGAL_DEMO_SAMPLES", True)
    if with_samples and all(path.exists() for path in samples):
        for path in samples:
            _kind, records = read_file(path)
            importer.run(records)
        parts.append(f"{importer.report.created} sample laws")
    before = importer.report.created
    importer.run(
        Record(file="generated", label=item["external_id"], data=item)
        for item in generate_records(getattr(settings, "LEGAL_DEMO_SYNTHETIC", DEMO_SYNTHETIC))
    )
    parts.append(f"{importer.report.created - before} synthetic documents")
    return ", ".join(parts) + f", {importer.report.articles} articles"
