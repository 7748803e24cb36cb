"""Drive a server with wrk and read its report; the Lua scripts for POSTs and counts."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from procs import Sampler, cpu_seconds, rss_bytes, tree

WRK = "/usr/bin/wrk"

# Each wrk thread numbers its requests; the text varies so no post repeats another.
POST_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local words = {"rail", "budget", "council", "housing", "schools", "rates", "bridge",
  "clinic", "harbour", "library", "tram", "parks", "water", "energy", "farms", "ferry",
  "museum", "market", "bus", "estate", "pension", "road", "airport", "tunnel", "hospital",
  "nurses", "teachers", "flooding", "drought", "tourism", "jobs", "wages", "rents",
  "mortgages", "cycling", "parking", "recycling", "broadband", "policing", "tax"}
local verbs = {"matter too", "need funding", "were ignored", "deserve scrutiny",
  "look better", "cost more", "came first", "are overdue", "got worse", "need a plan"}
local tokens = {%(tokens)s}
local body_key = "%(body_key)s"
local extra = '%(extra)s'
local counter = 0
local thread_no = 0
local serial = 0
function setup(thread)
  thread:set("thread_no", serial)
  serial = serial + 1
end
function init(args)
  math.randomseed(os.time() + thread_no * 7919)
end
local function w() return words[math.random(#words)] end
local function v() return verbs[math.random(#verbs)] end
function request()
  counter = counter + 1
  local text = string.format(
    "About %%s and %%s: %%s, %%s and %%s %%s, while %%s and %%s %%s (%%d.%%d).",
    w(), w(), w(), w(), w(), v(), w(), w(), v(), thread_no, counter)
  local headers = {["Content-Type"] = "application/json"}
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[(counter + thread_no) %% #tokens + 1]
  end
  local body = '{"' .. body_key .. '": "' .. text .. '"' .. extra .. '}'
  return wrk.format(nil, nil, headers, body)
end
"""


STATIC_POST_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '%(body)s'
"""


def post_script(path: Path, *, tokens: list[str], body_key: str, extra: str = "") -> Path:
    """A Lua script posting unique comments (rotating bearer tokens when given)."""
    quoted = ", ".join(f'"{t}"' for t in tokens)
    path.write_text(POST_LUA % {"tokens": quoted, "body_key": body_key, "extra": extra})
    return path


def static_post_script(path: Path, body: str) -> Path:
    """A Lua script sending the same JSON body on every request."""
    path.write_text(STATIC_POST_LUA % {"body": body})
    return path


@dataclass
class Result:
    """What one wrk run measured."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms_per_req: float
    peak_rss_mb: float
    rss_after_mb: float


def settle(server_pid: int, limit: float = 120.0) -> None:
    """Wait until the server has drained what wrk left queued (sync workers keep going)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(tree(server_pid))
        time.sleep(0.5)
        if cpu_seconds(tree(server_pid)) - before < 0.05:
            return


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(f"unreadable latency {text!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse(report: str) -> tuple[float, float, float, int, int]:
    """(req/s, p50 ms, p99 ms, requests, errors) from wrk --latency output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", report).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", report, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", report, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", report).group(1))
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    if m:
        errors += sum(int(x) for x in m.groups())
    return rps, p50, p99, requests, errors


def run(
    url: str,
    server_pid: int,
    *,
    seconds: int = 10,
    connections: int = 50,
    threads: int = 2,
    script: Path | None = None,
) -> Result:
    """One bounded wrk run against a server, with its CPU and memory over the run."""
    argv = [
        WRK,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(url)
    pids = tree(server_pid)
    cpu_before = cpu_seconds(pids)
    with Sampler(server_pid) as sampler:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30)
    pids = tree(server_pid)
    cpu = cpu_seconds(pids) - cpu_before
    settle(server_pid)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    rps, p50, p99, requests, errors = parse(done.stdout)
    return Result(
        rps=rps,
        p50_ms=p50,
        p99_ms=p99,
        requests=requests,
        errors=errors,
        cpu_ms_per_req=cpu * 1000 / max(requests, 1),
        peak_rss_mb=sampler.peak / 1e6,
        rss_after_mb=rss_bytes(pids) / 1e6,
    )
