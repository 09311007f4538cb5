"""Benchmark of PAdES signing and validation (issue 7): signatures per second and latency.

    .venv/bin/python bench/signatures.py [--rounds 200] [--warmup 10] [--ca-algorithm ec-p256]
                                         [--only sign|verify] [--profile CASE]

In one process (one core), on a throwaway SQLite database: one certification authority as
``create_authority`` makes it (an ECDSA P-256 root, issuing CA and time-stamp authority by
default, ``--ca-algorithm rsa-2048`` for an RSA chain), and from its issuing CA one personal
certificate with an RSA-2048 key and one with an ECDSA P-256 key. Then, after ``--warmup``
signatures that load the keys and the CRLs into the process (as a long-running worker holds
them), ``--rounds`` times each:

- ``signing.sign_pdf`` of a one-page PDF at B-B, B-T (our TSA, in process) and B-LT (our CRLs
  embedded; the CRLs are already loaded, as after the first signature of the day), for each key:
  wall time and CPU time per signature, p50/p95/max, and signatures/s on one core;
- ``verification.verify_pdf`` of a B-B signed one-page PDF and of a B-B signed 5 MB PDF (pages
  of incompressible noise images).

Goals (issue 7): B-B ≥ 30 signatures/s per core and p50 ≤ 35 ms; B-LT with the revocation data
cached p50 ≤ 100 ms; validation of a 5 MB PDF p50 ≤ 20 ms. Prints a table with a pass/fail
column, writes bench/results/signatures.json (and a timestamped copy). ``--profile CASE`` (for
example ``sign-b-b-rsa-2048`` or ``verify-5mb``) prints where that case's time goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import io
import json
import math
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
BIG_PDF_BYTES = 5 * 1024 * 1024
GOAL_BB_RATE = 30.0
GOAL_BB_P50_MS = 35.0
GOAL_BLT_P50_MS = 100.0
GOAL_VERIFY_5MB_P50_MS = 20.0
BUSY_PERCENT = 20.0


@dataclass
class Case:
    name: str
    description: str
    rounds: int
    wall_ms: list[float] = field(repr=False)
    cpu_ms: list[float] = field(repr=False)
    size_bytes: int = 0
    goal: str = ""
    passed: bool | None = None

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.wall_ms)

    @property
    def p95_ms(self) -> float:
        return percentile(self.wall_ms, 95)

    @property
    def per_second(self) -> float:
        return 1000 * len(self.wall_ms) / sum(self.wall_ms)

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        del data["wall_ms"], data["cpu_ms"]
        data.update(
            p50_ms=round(self.p50_ms, 2),
            p95_ms=round(self.p95_ms, 2),
            max_ms=round(max(self.wall_ms), 2),
            mean_ms=round(statistics.fmean(self.wall_ms), 2),
            cpu_p50_ms=round(statistics.median(self.cpu_ms), 2),
            per_second=round(self.per_second, 1),
        )
        return data


def percentile(values: list[float], rank: float) -> float:
    """Nearest rank: the smallest value with ``rank`` % of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def cpu_busy_percent(seconds: float = 1.0) -> float:
    """How busy all CPUs were during ``seconds`` (from /proc/stat; 0 where there is none)."""

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + (fields[4] if len(fields) > 4 else 0), sum(fields)

    try:
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    total = total_after - total_before
    return 100.0 * (1 - (idle_after - idle_before) / total) if total else 0.0


# --- Django on a throwaway database -------------------------------------------------------


def setup_django(tmp: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "vgp.settings.base",
            "DJANGO_ENV": "development",
            "DEBUG": "false",
            "VGP_REQUIRE_2FA": "false",
            "DATABASE_URL": f"sqlite:///{tmp / 'signatures.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp / "search"),
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_ROOT": str(tmp / "private"),
            "TASKS_BACKEND": "immediate",
            "LOG_LEVEL": "warning",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def prepare(ca_algorithm: str) -> dict[str, Any]:
    """The authority, a signer and one personal certificate per key algorithm."""
    from vgp.accounts.models import User
    from vgp.agencies.models import Agency, AgencyKind
    from vgp.signatures import actions, signing
    from vgp.signatures.models import CertificateKind, KeyAlgorithm

    agency = Agency.objects.create(
        code="000.00.01.H01",
        name_vi="Văn phòng Chính phủ",
        name_en="Government Office",
        abbreviation="VPCP",
        kind=AgencyKind.MINISTRY,
    )
    minh = User.objects.create_user(
        username="minh",
        email="minh@example.gov.vn",
        first_name="Minh",
        last_name="Trần Văn",
        agency=agency,
        position="Phó Chủ nhiệm",
    )
    signing.forget_cached()
    began = time.perf_counter()
    actions.create_authority(
        None,
        agency=agency,
        root_name="VPCP Root CA",
        issuing_name="VPCP Issuing CA",
        algorithm=ca_algorithm,
    )
    authority_ms = (time.perf_counter() - began) * 1000
    certificates = {}
    for algorithm in (KeyAlgorithm.RSA_2048, KeyAlgorithm.EC_P256):
        certificates[str(algorithm)] = actions.issue_certificate(
            None, kind=CertificateKind.PERSONAL, holder=minh, algorithm=algorithm
        )
    return {"actor": minh, "certificates": certificates, "authority_ms": authority_ms}


# --- Documents ----------------------------------------------------------------------------


def small_pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Công văn số 12/VPCP")
    page.showPage()
    page.save()
    return buffer.getvalue()


def big_pdf(target: int = BIG_PDF_BYTES) -> bytes:
    """A PDF of at least ``target`` bytes: A4 pages each holding a photo-sized image of random
    noise (Flate cannot shrink it), as a scanned document would be."""
    from PIL import Image
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    noise = random.Random(7)
    width, height = 640, 720  # 1.38 MB of RGB per page
    buffer = io.BytesIO()
    binary, rl_config.useA85 = rl_config.useA85, 0  # images in binary, not ASCII85 (+25 %)
    try:
        page = canvas.Canvas(buffer, pagesize=A4)
        made = 0
        while made < target:
            image = Image.frombytes("RGB", (width, height), noise.randbytes(width * height * 3))
            page.drawString(72, 800, "Hồ sơ scan số 12/VPCP")
            page.drawImage(ImageReader(image), 36, 36, width=A4[0] - 72, height=A4[1] - 108)
            page.showPage()
            made += width * height * 3
        page.save()
    finally:
        rl_config.useA85 = binary
    content = buffer.getvalue()
    assert len(content) >= target, len(content)
    return content


# --- Measuring ----------------------------------------------------------------------------


def measure(
    name: str,
    description: str,
    call: Callable[[], object],
    rounds: int,
    warmup: int,
    size: int,
) -> Case:
    for _ in range(warmup):
        call()
    wall, cpu = [], []
    for _ in range(rounds):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    case = Case(name, description, rounds, wall, cpu, size_bytes=size)
    print(
        f"  {name:<22} p50 {case.p50_ms:7.1f} ms  p95 {case.p95_ms:7.1f} ms  "
        f"{case.per_second:6.1f}/s",
        flush=True,
    )
    return case


def signing_cases(
    prepared: dict[str, Any], document: bytes, rounds: int, warmup: int
) -> tuple[list[Case], dict[str, Callable[[], object]]]:
    from vgp.signatures import signing

    cases: list[Case] = []
    calls: dict[str, Callable[[], object]] = {}
    for algorithm, certificate in prepared["certificates"].items():
        for level in ("B-B", "B-T", "B-LT"):
            name = f"sign-{level.lower()}-{algorithm}"

            call = functools.partial(
                signing.sign_pdf, prepared["actor"], document, certificate=certificate, level=level
            )
            calls[name] = call
            cases.append(
                measure(
                    name,
                    f"sign_pdf {level}, {algorithm} key, 1-page PDF",
                    call,
                    rounds,
                    warmup,
                    len(document),
                )
            )
    return cases, calls


def verify_cases(
    prepared: dict[str, Any], small: bytes, big: bytes, rounds: int, warmup: int
) -> tuple[list[Case], dict[str, Callable[[], object]]]:
    from vgp.signatures import signing
    from vgp.signatures.models import KeyAlgorithm
    from vgp.signatures.verification import Verdict, verify_pdf

    certificate = prepared["certificates"][str(KeyAlgorithm.EC_P256)]
    cases: list[Case] = []
    calls: dict[str, Callable[[], object]] = {}
    for name, document in (("verify-1-page", small), ("verify-5mb", big)):
        signed = signing.sign_pdf(prepared["actor"], document, certificate=certificate, level="B-B")
        report = verify_pdf(signed)
        if report.verdict != Verdict.VALID:
            raise SystemExit(f"{name}: the signed PDF does not verify: {report}")

        call = functools.partial(verify_pdf, signed)
        calls[name] = call
        cases.append(
            measure(
                name,
                f"verify_pdf of a B-B ({KeyAlgorithm.EC_P256}) signed PDF, "
                f"{len(signed) / 1_048_576:.2f} MiB",
                call,
                rounds,
                warmup,
                len(signed),
            )
        )
    return cases, calls


def profile(call: Callable[[], object], rounds: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)
    return out.getvalue()


# --- Goals and report ---------------------------------------------------------------------


def judge(cases: dict[str, Case]) -> list[tuple[str, bool]]:
    verdicts = []
    for name, case in cases.items():
        if name.startswith("sign-b-b-"):
            case.goal = f"≥ {GOAL_BB_RATE:.0f}/s and p50 ≤ {GOAL_BB_P50_MS:.0f} ms"
            case.passed = case.per_second >= GOAL_BB_RATE and case.p50_ms <= GOAL_BB_P50_MS
        elif name.startswith("sign-b-lt-"):
            case.goal = f"p50 ≤ {GOAL_BLT_P50_MS:.0f} ms (revocation data cached)"
            case.passed = case.p50_ms <= GOAL_BLT_P50_MS
        elif name == "verify-5mb":
            case.goal = f"p50 ≤ {GOAL_VERIFY_5MB_P50_MS:.0f} ms"
            case.passed = case.p50_ms <= GOAL_VERIFY_5MB_P50_MS
        if case.passed is not None:
            verdicts.append((f"{name}: {case.goal}", case.passed))
    return verdicts


def print_table(cases: list[Case], verdicts: list[tuple[str, bool]]) -> None:
    header = (
        f"{'case':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8} "
        f"{'per s':>7} {'bytes':>9}  goal"
    )
    print(header)
    print("-" * len(header))
    for case in cases:
        goal = f"{'PASS' if case.passed else 'FAIL'}  {case.goal}" if case.goal else ""
        print(
            f"{case.name:<22} {case.p50_ms:>8.1f} {case.p95_ms:>8.1f} {max(case.wall_ms):>8.1f} "
            f"{statistics.median(case.cpu_ms):>8.1f} {case.per_second:>7.1f} "
            f"{case.size_bytes:>9,}  {goal}"
        )
    print()
    for text, passed in verdicts:
        print(f"  {'PASS' if passed else 'FAIL'}  {text}")


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("pyhanko", "pyhanko-certvalidator", "cryptography", "asn1crypto", "Django"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            continue
    import ssl

    found["openssl"] = ssl.OPENSSL_VERSION
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=200, help="measured calls per case")
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured calls per case first")
    parser.add_argument(
        "--ca-algorithm",
        choices=("ec-p256", "rsa-2048"),
        default="ec-p256",
        help="key of the root, issuing CA and TSA (default: ECDSA P-256, as the admin's default)",
    )
    parser.add_argument("--only", choices=("sign", "verify"), help="one half of the benchmark")
    parser.add_argument(
        "--profile", metavar="CASE", help="cProfile one case afterwards, e.g. sign-b-b-rsa-2048"
    )
    args = parser.parse_args()
    started_at = dt.datetime.now(dt.UTC)
    tmp = Path(tempfile.mkdtemp(prefix="vgp-bench-signatures-"))
    try:
        setup_django(tmp)
        from vgp.signatures.models import KeyAlgorithm

        ca_algorithm = {"ec-p256": KeyAlgorithm.EC_P256, "rsa-2048": KeyAlgorithm.RSA_2048}[
            args.ca_algorithm
        ]
        prepared = prepare(ca_algorithm)
        small, big = small_pdf(), big_pdf()
        load_before = os.getloadavg()
        busy_before = cpu_busy_percent()
        print(
            f"CA: {ca_algorithm} root, issuing CA and TSA; certificates: "
            f"{', '.join(prepared['certificates'])}; {args.rounds} rounds after {args.warmup} "
            f"warm-ups; load average {load_before[0]:.2f}, CPUs {busy_before:.0f}% busy before",
            flush=True,
        )
        cases: list[Case] = []
        calls: dict[str, Callable[[], object]] = {}
        if args.only in (None, "sign"):
            found, more = signing_cases(prepared, small, args.rounds, args.warmup)
            cases += found
            calls.update(more)
        if args.only in (None, "verify"):
            found, more = verify_cases(prepared, small, big, args.rounds, args.warmup)
            cases += found
            calls.update(more)
        load_after = os.getloadavg()
        profiled = ""
        if args.profile:
            if args.profile not in calls:
                raise SystemExit(f"--profile: no case {args.profile!r}; one of {sorted(calls)}")
            profiled = profile(calls[args.profile], min(args.rounds, 100))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    verdicts = judge({case.name: case for case in cases})
    print()
    print_table(cases, verdicts)
    if busy_before > BUSY_PERCENT:
        print(
            f"\n  WARNING: other processes kept the CPUs {busy_before:.0f}% busy just before the "
            "run: measure again on a quiet machine."
        )
    if profiled:
        print(f"\nProfile of {args.profile}:\n{profiled}")

    report = {
        "benchmark": "signatures",
        "started_at": started_at.isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in load_after],
            "cpu_busy_before_percent": round(busy_before, 1),
            **versions(),
        },
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        or None,
        "setup": {
            "database": "sqlite (throwaway)",
            "process": "one, sequential calls (one core)",
            "ca_algorithm": str(ca_algorithm),
            "certificates": list(prepared["certificates"]),
            "rounds": args.rounds,
            "warmup": args.warmup,
            "create_authority_ms": round(prepared["authority_ms"], 1),
            "small_pdf_bytes": len(small),
            "big_pdf_bytes": len(big),
        },
        "results": [case.summary() for case in cases],
        "goals": [{"goal": text, "passed": passed} for text, passed in verdicts],
        "all_goals_met": all(passed for _text, passed in verdicts),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    (RESULTS / "signatures.json").write_text(text, encoding="utf-8")
    (RESULTS / f"signatures-{started_at:%Y%m%dT%H%M%SZ}.json").write_text(text, encoding="utf-8")
    print(f"\nWrote {RESULTS / 'signatures.json'}")
    return 0 if report["all_goals_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
