"""Real-browser fixtures: Debian's Chromium driven by Playwright, and a live `townhall demo`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENS = ROOT / "test-results" / "screens"
SSO_SECRET = "demo-secret-for-tests-only-0123456789"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not Path(path).exists():
        reason = f"Chromium not found at {path} (apt-get install chromium, or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Launch the system Chromium; Playwright's own browser downloads are never used."""
    return {**browser_type_launch_args, "executable_path": _chromium(), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """A desktop viewport unless a test changes it."""
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _townhall_executable() -> str:
    candidate = Path(sys.executable).parent / "townhall"
    if candidate.exists():
        return str(candidate)
    return str(ROOT / ".venv" / "bin" / "townhall")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`townhall demo` on a free port with a fresh SQLite file; yields its base URL."""
    _chromium()
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "TOWNHALL_RATE_LIMITS": "off",
        "TOWNHALL_SSO_SECRET": SSO_SECRET,
        "TOWNHALL_LOG_JSON": "false",
    }
    log_path = tmp / "server.log"
    cmd = [
        _townhall_executable(),
        "demo",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--db",
        str(tmp / "demo.sqlite3"),
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"townhall demo exited early:\n{log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"townhall demo did not start:\n{log_path.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def screens() -> Path:
    """Folder for screenshots that reviewers open."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS
