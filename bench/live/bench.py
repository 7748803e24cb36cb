"""Hold many live streams on one townhall instance while comments are posted.

Starts `townhall serve` on a loopback port (SQLite unless --db is given, rate limits
off), opens --streams concurrent event streams on one story from a single asyncio
client (raw sockets), posts --posts comments, and reports how long each comment took
to reach every stream (p50/p99) and the server's memory per open stream.

Everything is bounded: a connect deadline, a fixed number of posts, a final drain
window, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import jwt
import psutil

SECRET = "bench-live-secret-0123456789abcdef0123456789abcdef"  # noqa: S105 (local test key)
STORY = "bench-live"
MARK = re.compile(rb"benchseq(\d+)x")


def raise_fd_limit() -> int:
    """Lift the soft open-files limit to the hard one (children inherit it)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = 1_048_576
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def free_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stream(asyncio.Protocol):
    """One SSE connection that only notes when each marked comment arrived."""

    __slots__ = ("arrived", "ended", "lost", "opened", "transport")

    def __init__(self, opened: asyncio.Future, arrived: dict[int, list[float]]) -> None:
        self.opened = opened
        self.arrived = arrived
        self.transport = None
        self.ended = False
        self.lost = False

    def connection_made(self, transport) -> None:
        """Send the request."""
        self.transport = transport
        transport.write(
            f"GET /api/v1/stories/{STORY}/events HTTP/1.1\r\nHost: bench\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )

    def data_received(self, data: bytes) -> None:
        """Record arrival times of marked comments."""
        now = time.perf_counter()
        if not self.opened.done():
            if b" 200 " in data[:20]:
                self.opened.set_result(True)
            else:
                self.opened.set_exception(RuntimeError(data[:200].decode(errors="replace")))
                return
        for m in MARK.finditer(data):
            self.arrived.setdefault(int(m.group(1)), []).append(now)
        if data.endswith(b"\r\n0\r\n\r\n"):  # the chunked body's proper end
            self.ended = True

    def connection_lost(self, exc) -> None:
        """Note the end of the connection (and a stream closed before it was ready)."""
        self.lost = True
        if not self.opened.done():
            self.opened.set_exception(ConnectionError("closed before the stream opened"))


async def open_streams(port: int, count: int, arrived, *, batch: int, deadline: float):
    """Open `count` streams, `batch` at a time, until the deadline; return (held, failed, s)."""
    loop = asyncio.get_running_loop()
    held: list[Stream] = []
    failures = 0

    async def one() -> None:
        """Open one stream and wait for its 200."""
        nonlocal failures
        opened = loop.create_future()
        try:
            _, stream = await loop.create_connection(
                lambda: Stream(opened, arrived), "127.0.0.1", port
            )
            async with asyncio.timeout(30):
                await opened
            held.append(stream)
        except (OSError, RuntimeError, TimeoutError, ConnectionError) as exc:
            failures += 1
            if failures <= 3:
                print(f"  stream failed: {exc}", file=sys.stderr)

    started = time.perf_counter()
    while len(held) + failures < count and time.monotonic() < deadline:
        size = min(batch, count - len(held) - failures)
        await asyncio.gather(*(one() for _ in range(size)))
        print(f"\r  streams open: {len(held)}", end="", file=sys.stderr)
    print(file=sys.stderr)
    return held, failures, time.perf_counter() - started


async def sign_in(client: httpx.AsyncClient) -> dict[str, str]:
    """An SSO session with a commenting name."""
    claims = {"sub": "bench", "email": "bench@example.org", "aud": "default"}
    token = jwt.encode({**claims, "exp": int(time.time()) + 3600}, SECRET, algorithm="HS256")
    res = await client.post("/api/v1/auth/sso", json={"token": token})
    res.raise_for_status()
    headers = {"Authorization": f"Bearer {res.json()['token']}"}
    res = await client.put("/api/v1/me/name", json={"name": "Bench Reporter"}, headers=headers)
    res.raise_for_status()
    return headers


TOPICS = [
    "the council vote on bus lanes",
    "the new library opening hours",
    "ticket prices at the stadium",
    "the river clean-up weekend",
    "school catchment changes",
    "the harbour redevelopment plan",
]


async def post_comments(base: str, posts: int, interval: float) -> dict[int, float]:
    """Post marked comments; return when each was sent."""
    sent: dict[int, float] = {}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        headers = await sign_in(client)
        for i in range(posts):
            topic = TOPICS[i % len(TOPICS)]
            minute = i * 7 % 60
            body = f"Update {i} on {topic}: readers asked at {minute} past. benchseq{i}x"
            sent[i] = time.perf_counter()
            res = await client.post(
                f"/api/v1/stories/{STORY}/comments", json={"body": body}, headers=headers
            )
            if res.status_code != 201 or res.json()["status"] != "published":
                print(f"  post {i}: {res.status_code} {res.text[:120]}", file=sys.stderr)
                sent.pop(i)
            await asyncio.sleep(interval)
    return sent


def start_server(args, port: int, tmp: Path) -> subprocess.Popen:
    """`townhall serve` on loopback with rate limits off and a stream cap above the test."""
    db = args.db or f"sqlite+aiosqlite:///{tmp / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "TOWNHALL_DATABASE_URL": db,
        "TOWNHALL_RATE_LIMITS": "off",
        "TOWNHALL_SSO_SECRET": SECRET,
        "TOWNHALL_SSE_MAX_PER_CLIENT": str(args.streams + 100),
        "TOWNHALL_SSE_KEEPALIVE_SECONDS": "15",
        "TOWNHALL_LOG_LEVEL": "warning",
        "TOWNHALL_LOG_JSON": "false",
    }
    if args.redis:
        env["TOWNHALL_REDIS_URL"] = args.redis
        env["TOWNHALL_REDIS_PREFIX"] = f"townhall-bench-{os.getpid()}:"
    exe = Path(sys.executable).parent / "townhall"
    cmd = [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--limit-concurrency", str(args.streams + 1000)]
    log = (tmp / "server.log").open("wb")
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_ready(base: str, proc: subprocess.Popen, within: float = 60) -> None:
    """Until /healthz answers."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("server exited during start-up")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("server did not start")


async def stop_server(proc: subprocess.Popen, streams: list[Stream]) -> dict:
    """SIGTERM with every stream open: how fast and how cleanly do they end?"""
    started = time.perf_counter()
    proc.send_signal(signal.SIGTERM)
    for _ in range(400):  # 20 s at most
        if all(s.lost for s in streams):
            break
        await asyncio.sleep(0.05)
    closed_s = time.perf_counter() - started
    for _ in range(400):
        if proc.poll() is not None:
            break
        await asyncio.sleep(0.05)
    for stream in streams:
        if stream.transport is not None:
            stream.transport.close()
    return {
        "shutdown_streams_closed_s": round(closed_s, 2),
        "shutdown_streams_ended_cleanly": sum(s.ended for s in streams),
        "shutdown_process_exit_s": round(time.perf_counter() - started, 2),
    }


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def run(args) -> dict:
    """The whole benchmark; returns the numbers."""
    limit = raise_fd_limit()
    if args.streams + 200 > limit:
        raise SystemExit(f"open-files limit {limit} is too low for {args.streams} streams")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as tmpdir:
        proc = start_server(args, port, Path(tmpdir))
        try:
            wait_ready(base, proc)
            server = psutil.Process(proc.pid)
            async with httpx.AsyncClient(base_url=base) as warm:
                for _ in range(20):
                    await warm.get(f"/api/v1/stories/{STORY}/comments")
            rss_before = server.memory_info().rss
            arrived: dict[int, list[float]] = {}
            deadline = time.monotonic() + args.connect_seconds
            streams, failed, connect_s = await open_streams(
                port, args.streams, arrived, batch=args.batch, deadline=deadline
            )
            held = len(streams)
            await asyncio.sleep(2)
            rss_open = server.memory_info().rss
            load_before = os.getloadavg()[0]
            cpu_before = server.cpu_times()
            sent = await post_comments(base, args.posts, args.interval)
            await asyncio.sleep(args.drain_seconds)
            cpu_after = server.cpu_times()
            user_cpu = cpu_after.user - cpu_before.user
            system_cpu = cpu_after.system - cpu_before.system
            server_cpu = user_cpu + system_cpu
            rss_after = server.memory_info().rss
            shutdown = await stop_server(proc, streams)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    latencies = [t - sent[i] for i, times in arrived.items() if i in sent for t in times]
    expected = held * len(sent)
    return {
        "streams_requested": args.streams,
        "streams_held": held,
        "stream_failures": failed,
        "connect_seconds": round(connect_s, 1),
        "posts": len(sent),
        "deliveries": len(latencies),
        "delivery_ratio": round(len(latencies) / expected, 4) if expected else 0,
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "latency_p99_ms": round(pct(latencies, 99) * 1000, 1) if latencies else None,
        "latency_max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "server_rss_idle_mb": round(rss_before / 2**20, 1),
        "server_rss_streams_mb": round(rss_open / 2**20, 1),
        "server_rss_end_mb": round(rss_after / 2**20, 1),
        "kib_per_stream": round((rss_open - rss_before) / max(1, held) / 1024, 1),
        "server_cpu_s_while_posting": round(server_cpu, 2),
        "server_user_cpu_share": round(user_cpu / server_cpu, 2) if server_cpu else None,
        "server_cpu_us_per_comment_delivered": round(server_cpu / max(1, len(latencies)) * 1e6, 1),
        **shutdown,
        "broker": "redis" if args.redis else "memory",
        "cpus": os.cpu_count(),
        "load_avg_1m_before_posting": round(load_before, 2),
        "load_avg_1m_end": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    """Parse options, run, print."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--streams", type=int, default=10_000)
    p.add_argument("--posts", type=int, default=20)
    p.add_argument("--interval", type=float, default=2.0, help="seconds between posts")
    p.add_argument("--batch", type=int, default=250, help="streams opened concurrently")
    p.add_argument("--connect-seconds", type=float, default=180)
    p.add_argument("--drain-seconds", type=float, default=5)
    p.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    p.add_argument("--redis", help="Redis URL: fan out through Redis instead of in process")
    args = p.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(run(args))
    print(json.dumps(result, indent=2))
    print(
        f"\n{result['streams_held']} streams held, {result['posts']} comments: "
        f"delivery p50 {result['latency_p50_ms']} ms, p99 {result['latency_p99_ms']} ms "
        f"({result['delivery_ratio']:.2%} delivered); "
        f"server memory {result['kib_per_stream']} KiB per stream, "
        f"{result['server_cpu_us_per_comment_delivered']} us of server CPU per comment "
        "delivered (plus its count event); on SIGTERM "
        f"{result['shutdown_streams_ended_cleanly']} streams ended cleanly within "
        f"{result['shutdown_streams_closed_s']} s"
    )


if __name__ == "__main__":
    main()
