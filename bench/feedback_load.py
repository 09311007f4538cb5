"""Load generator of the feedback benchmark: a burst of ``POST /api/v1/feedback`` submissions.

    feedback_load.py --port P --key vgp_… [--connections 64] [--seconds 60] --keys-out FILE

Plain asyncio over HTTP/1.1 keep-alive sockets (no third-party client, so that the generator
costs little CPU and measures what the server does): each connection sends one submission,
reads the answer, and sends the next (closed loop). Every submission has its own
``Idempotency-Key`` (``<run>-<connection>-<n>``) and its own title. A 429 is retried with the
same key after the Retry-After the server gave, times a random factor between 0.5 and 1 so that
refused clients do not come back together (what the API's documentation asks of a client), or
after ``--backoff-ms`` when it is set (a client that keeps the pressure on). A connection that
fails or times out is opened again, and its submission counts as unanswered (it may have been
stored: the count afterwards tells).

Runs in its own process; prints one ``RESULT {json}`` line: counts per status, accepted/s,
latency percentiles of the accepted (201) answers and of all answers, connection errors and
timeouts, accepted per second of the run, and the generator's own CPU use. The keys answered
201 are written to ``--keys-out``, one a line, for the count in the database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import time
from collections import Counter
from dataclasses import dataclass, field

BODY_TEMPLATE = {
    "kind": "petition",
    "name": "Nguyễn Thị Hoa",
    "phone": "0912 345 678",
    "content": "Đề nghị cơ quan xem xét rút ngắn thời gian giải quyết thủ tục cấp phép xây dựng "
    "nhà ở riêng lẻ, hiện kéo dài quá thời hạn quy định.",
    "consent_to_publish": True,
}


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    accepted_ms: list[float] = field(default_factory=list)
    all_ms: list[float] = field(default_factory=list)
    accepted_keys: list[str] = field(default_factory=list)
    per_second: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0
    timeouts: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)


class Closed(Exception):
    """The server closed the connection."""


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers


def request_bytes(host: str, path: str, key: str, idempotency_key: str, n: int) -> bytes:
    body = json.dumps(
        {
            **BODY_TEMPLATE,
            "title": f"Kiến nghị về thủ tục cấp phép ({idempotency_key})",
            "email": f"hoa{n % 997}@example.vn",
        },
        ensure_ascii=False,
    ).encode()
    head = (
        f"POST {path} HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        f"X-API-Key: {key}\r\n"
        f"Idempotency-Key: {idempotency_key}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "\r\n"
    )
    return head.encode() + body


async def connection(
    number: int, args: argparse.Namespace, deadline: float, started: float, tally: Tally
) -> None:
    reader = writer = None
    n = 0
    pending: str | None = None  # a key refused with 429, sent again
    while time.perf_counter() < deadline:
        if writer is None:
            try:
                reader, writer = await asyncio.open_connection(args.host, args.port)
            except OSError as error:
                tally.connection_errors += 1
                tally.error_kinds[type(error).__name__] += 1
                await asyncio.sleep(0.05)
                continue
        assert reader is not None
        if pending is None:
            n += 1
            pending = f"{args.run}-{number}-{n}"
        payload = request_bytes(args.host, args.path, args.key, pending, n)
        sent = time.perf_counter()
        try:
            writer.write(payload)
            await writer.drain()
            status, headers = await asyncio.wait_for(read_response(reader), args.timeout)
        except TimeoutError:
            tally.timeouts += 1
            pending = None
            writer.close()
            writer = None
            continue
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            tally.connection_errors += 1
            tally.error_kinds[type(e).__name__] += 1
            pending = None
            writer.close()
            writer = None
            continue
        done = time.perf_counter()
        elapsed = (done - sent) * 1000
        tally.statuses[status] += 1
        tally.all_ms.append(elapsed)
        if status == 201:
            tally.accepted_ms.append(elapsed)
            tally.accepted_keys.append(pending)
            tally.per_second[int(done - started)] += 1
        if status == 429:
            await asyncio.sleep(backoff_seconds(args, headers))
        else:
            pending = None
        if headers.get("connection", "").lower() == "close":
            writer.close()
            writer = None


def backoff_seconds(args: argparse.Namespace, headers: dict[str, str]) -> float:
    if args.backoff_ms > 0:
        return args.backoff_ms / 1000
    try:
        retry_after = float(headers.get("retry-after", "1"))
    except ValueError:
        retry_after = 1.0
    return retry_after * random.uniform(0.5, 1.0)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return round(ordered[index], 2)


def summary(values: list[float]) -> dict[str, float | None]:
    return {
        "p50_ms": percentile(values, 0.50),
        "p95_ms": percentile(values, 0.95),
        "p99_ms": percentile(values, 0.99),
        "max_ms": round(max(values), 2) if values else None,
    }


async def burst(args: argparse.Namespace) -> dict[str, object]:
    tally = Tally()
    started = time.perf_counter()
    deadline = started + args.seconds
    usage = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(
        *(connection(i, args, deadline, started, tally) for i in range(args.connections))
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    accepted = tally.statuses[201]
    with open(args.keys_out, "w", encoding="ascii") as out:
        out.write("\n".join(tally.accepted_keys) + "\n")
    return {
        "connections": args.connections,
        "seconds": round(seconds, 2),
        "requests": sum(tally.statuses.values()),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "accepted": accepted,
        "accepted_per_second": round(accepted / seconds, 1),
        "answers_per_second": round(sum(tally.statuses.values()) / seconds, 1),
        "server_errors": sum(v for k, v in tally.statuses.items() if k >= 500),
        "connection_errors": tally.connection_errors,
        "timeouts": tally.timeouts,
        "error_kinds": dict(tally.error_kinds),
        "accepted_latency": summary(tally.accepted_ms),
        "all_latency": summary(tally.all_ms),
        "accepted_each_second": [tally.per_second[s] for s in range(int(seconds) + 1)],
        "generator_cpu_seconds": round(cpu, 2),
        "generator_cpu_percent_of_one_core": round(100 * cpu / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/api/v1/feedback")
    parser.add_argument("--key", required=True, help="the API key (X-API-Key)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=10, help="seconds per answer")
    parser.add_argument(
        "--backoff-ms", type=float, default=0, help="pause after a 429 (0: the Retry-After)"
    )
    parser.add_argument("--run", default=f"bench{int(time.time())}", help="key prefix")
    parser.add_argument("--keys-out", required=True)
    args = parser.parse_args()
    print("RESULT " + json.dumps(asyncio.run(burst(args))), flush=True)


if __name__ == "__main__":
    main()
