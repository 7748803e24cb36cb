"""Oversized, endless and slow requests are refused or dropped, never served or crashed on."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.factories import post, sign_in
from tests.reliability.server import Server, fresh_database

pytestmark = pytest.mark.slow
SSE_PER_CLIENT = 4
HEADER_TIMEOUT = 5


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """One real server (SQLite) with a small live-stream allowance per address."""
    tmp = tmp_path_factory.mktemp("limits")
    with fresh_database("sqlite", tmp) as db_url:
        srv = Server(
            db_url,
            tmp,
            TOWNHALL_SSE_MAX_PER_CLIENT=str(SSE_PER_CLIENT),
            TOWNHALL_HEADER_TIMEOUT_SECONDS=str(HEADER_TIMEOUT),
            TOWNHALL_SSE_KEEPALIVE_SECONDS="2",
        )
        srv.start()
        try:
            yield srv
        finally:
            srv.stop()


def _healthy(server: Server) -> None:
    assert httpx.get(f"{server.base}/healthz", timeout=5).status_code == 200


def _raw(server: Server, data: bytes, *, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while chunk := s.recv(65536):
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks):
                    break
        except (ConnectionResetError, TimeoutError):
            pass
        return b"".join(chunks)


def test_a_declared_oversized_body_is_refused_with_413(server) -> None:
    body = b'{"body": "' + b"x" * (70 * 1024) + b'"}'
    res = httpx.post(f"{server.base}/api/v1/auth/login", content=body, timeout=10)
    assert res.status_code == 413
    assert res.json()["code"] == "payload-too-large"
    _healthy(server)


def test_a_chunked_oversized_body_is_refused_with_413(server) -> None:
    def chunks():
        for _ in range(100):
            yield b"x" * 1024

    res = httpx.post(f"{server.base}/api/v1/auth/login", content=chunks(), timeout=10)
    assert res.status_code == 413
    _healthy(server)


def test_huge_headers_are_refused_and_the_server_lives_on(server) -> None:
    request = (
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
        + b"a" * (256 * 1024)
        + b"\r\n\r\n"
    )
    try:
        answer = _raw(server, request)
    except (BrokenPipeError, ConnectionResetError):
        answer = b""
    status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.1 ") else b""
    assert not status.startswith(b"2") and not status.startswith(b"5"), answer[:200]
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
    try:
        answer = _raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
    except (BrokenPipeError, ConnectionResetError):
        answer = b""
    assert not answer.startswith((b"HTTP/1.1 2", b"HTTP/1.1 5")), answer[:200]
    _healthy(server)


def _assert_trickler_dropped(server, opening: bytes, drip: bytes, what: str) -> None:
    """Send an opening, then one drip at a time: the server must hang up within the bound."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=2) as s:
        s.sendall(opening)
        started = time.monotonic()
        dropped = False
        while time.monotonic() - started < HEADER_TIMEOUT + 10:
            try:
                s.sendall(drip)
                if s.recv(1024) == b"":
                    dropped = True
                    break
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                dropped = True
                break
        assert dropped, f"a slow {what} held its connection open"
        assert time.monotonic() - started < HEADER_TIMEOUT + 5
    _healthy(server)


def test_a_client_trickling_its_headers_is_dropped(server) -> None:
    _assert_trickler_dropped(
        server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"X-Slow: 1\r\n", "client"
    )


def test_a_client_trickling_its_body_is_dropped(server) -> None:
    _assert_trickler_dropped(
        server,
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
        b" ",
        "body",
    )


def test_a_live_stream_outlives_the_request_timeout(server) -> None:
    url = f"{server.base}/api/v1/stories/long-lived/events"
    with httpx.stream("GET", url, timeout=HEADER_TIMEOUT + 10) as res:
        assert res.status_code == 200
        started = time.monotonic()
        for _ in res.iter_bytes():
            if time.monotonic() - started > HEADER_TIMEOUT + 1:
                break
        assert time.monotonic() - started > HEADER_TIMEOUT + 1, "the stream was cut"


def test_an_idle_connection_is_dropped(server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=HEADER_TIMEOUT + 10) as s:
        started = time.monotonic()
        try:
            assert s.recv(1024) == b""
        except ConnectionResetError:
            pass
        assert time.monotonic() - started < HEADER_TIMEOUT + 5
    _healthy(server)


async def test_live_streams_per_address_are_capped(server) -> None:
    url = f"{server.base}/api/v1/stories/capped/events"
    async with httpx.AsyncClient(timeout=10) as client:
        opened = []
        try:
            for _ in range(SSE_PER_CLIENT):
                res = await client.send(client.build_request("GET", url), stream=True)
                assert res.status_code == 200
                opened.append(res)
            extra = await client.get(url)
            assert extra.status_code in (429, 503), extra.text
            assert extra.headers["content-type"].startswith("application/problem+json")
        finally:
            for res in opened:
                await res.aclose()
        await asyncio.sleep(0.5)
        again = await client.send(client.build_request("GET", url), stream=True)
        assert again.status_code == 200, "closed streams give their slot back"
        await again.aclose()


async def test_over_long_comments_are_refused_with_a_named_rule(app_client) -> None:
    headers = await sign_in(app_client, "long-writer", name="Long Writer")
    for body, rule in (("x" * 5001, "max-length"), ("y" * 20_001, "string-too-long")):
        res = await app_client.post(
            "/api/v1/stories/long/comments", json={"body": body}, headers=headers
        )
        assert res.status_code == 422, res.text
        assert res.json()["errors"][0]["field"] == "body"
        assert res.json()["errors"][0]["rule"] == rule
    comment = await post(app_client, headers, "z" * 5000, story="long")
    res = await app_client.patch(
        f"/api/v1/comments/{comment['id']}", json={"body": "w" * 5001}, headers=headers
    )
    assert res.status_code == 422
    assert res.json()["errors"][0]["rule"] == "max-length"
