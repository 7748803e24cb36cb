"""Logs: every line JSON (uvicorn's own lines too), each request's lines with its id."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import subprocess

import httpx

from tests.servers import BIN, free_port, wait_ready
from townhall.logs import REQUEST_ID, JsonFormatter, PlainFormatter


def _json_lines(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "the server wrote no log lines"
    return [json.loads(line) for line in lines]  # fails on any line that is not JSON


def test_served_logs_are_json_with_lifecycle_and_access_lines_carrying_request_ids(
    sqlite_url, tmp_path
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "TOWNHALL_LOG_JSON": "on", "TOWNHALL_LOG_LEVEL": "info"}
    env.pop("TOWNHALL_CONFIG", None)
    log = tmp_path / "serve.log"
    argv = [str(BIN), "serve", "--port", str(port), "--db", sqlite_url, "--access-log"]
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_ready(base, proc)
        given = httpx.get(base + "/healthz", headers={"X-Request-ID": "edge-42.a"})
        fresh = httpx.get(base + "/readyz")
        forged = httpx.get(base + "/healthz", headers={"X-Request-ID": "x" * 65})
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    records = _json_lines(log.read_text())
    assert given.headers["x-request-id"] == "edge-42.a"
    assert len(fresh.headers["x-request-id"]) == 16
    assert forged.headers["x-request-id"] != "x" * 65  # too long: replaced, not trusted
    messages = {(r["logger"], r["message"]) for r in records}
    assert ("uvicorn.error", "Application startup complete.") in messages
    assert ("uvicorn.error", "Application shutdown complete.") in messages
    access = {r["request_id"]: r for r in records if r["logger"] == "uvicorn.access"}
    assert access["edge-42.a"]["path"] == "/healthz" and access["edge-42.a"]["status"] == 200
    assert access[fresh.headers["x-request-id"]]["path"] == "/readyz"
    assert forged.headers["x-request-id"] in access
    assert all(r["level"] in {"debug", "info", "warning", "error", "critical"} for r in records)


async def test_unhandled_error_answer_and_log_line_name_the_same_request_id(
    sqlite_url, make_settings
):
    from townhall.app import create_app

    app = create_app(make_settings(sqlite_url))

    async def explode() -> None:
        raise RuntimeError("disk on fire")

    app.add_api_route("/explode", explode)
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("townhall.api")
    logger.addHandler(handler)
    try:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            res = await client.get("/explode", headers={"X-Request-ID": "trace-7"})
    finally:
        logger.removeHandler(handler)
        await app.state.ctx.db.dispose()
    assert res.status_code == 500
    assert res.json()["request_id"] == "trace-7"
    assert res.headers["x-request-id"] == "trace-7"
    (record,) = _json_lines(out.getvalue())
    assert record["request_id"] == "trace-7"
    assert "disk on fire" in record["exception"]


async def test_answers_before_routing_carry_the_request_id_too(sqlite_client):
    page = await sqlite_client.get("/api/v1/stories/any/comments", headers={"X-Request-ID": "p-1"})
    counts = await sqlite_client.get("/api/v1/counts?story_id=any")
    assert page.status_code == 200 and page.headers["x-request-id"] == "p-1"
    assert counts.status_code == 200 and len(counts.headers["x-request-id"]) == 16


def test_plain_lines_for_a_terminal_name_the_request_too():
    record = logging.makeLogRecord({"name": "townhall.api", "msg": "slow query", "levelno": 30})
    token = REQUEST_ID.set("abc-1")
    try:
        line = PlainFormatter().format(record)
    finally:
        REQUEST_ID.reset(token)
    assert line.endswith("townhall.api: slow query [request abc-1]")
    assert PlainFormatter().format(record).endswith("townhall.api: slow query")
