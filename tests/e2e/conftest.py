"""Real-browser fixtures: Debian's Chromium driven by Playwright, and a live `townhall demo`."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
SCREENS = Path(os.environ.get("TOWNHALL_SCREENS", ROOT / "test-results" / "screens"))
SSO_SECRET = "demo-secret-for-tests-only-0123456789"
# A busy CI machine runs the server and the browser side by side: allow for slow answers.
expect.set_options(timeout=10_000)

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run browser tests last.

    Sync Playwright keeps its event loop running for the whole session once started, and
    pytest-asyncio cannot start its own loop while it does; async tests must come first.
    """
    here = Path(__file__).resolve().parent
    items.sort(key=lambda item: here in Path(item.path).resolve().parents)


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
def publisher_origin() -> str:
    """Origin of a stand-in publisher site that embeds the widget from another origin."""
    return f"http://127.0.0.1:{_free_port()}"


def _wait_until_up(proc: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited early:\n{log_path.read_text(errors='replace')}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not come up:\n{log_path.read_text(errors='replace')}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def private_demo(tmp: Path, **extra_env: str) -> Iterator[str]:
    """A `townhall demo` of a module's own, on `tmp / "demo.sqlite3"` (for tests that change
    settings or data other widget tests rely on); yields its base URL and stops it after."""
    env = {
        **os.environ,
        "TOWNHALL_RATE_LIMITS": "off",
        "TOWNHALL_SSO_SECRET": SSO_SECRET,
        "TOWNHALL_LOG_JSON": "false",
        **extra_env,
    }
    port = _free_port()
    cmd = [_townhall_executable(), "demo", "--host", "127.0.0.1", "--port", str(port)]
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*cmd, "--db", str(tmp / "demo.sqlite3")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=tmp,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, f"{base}/healthz", log_path)
        yield base
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, publisher_origin: str) -> Iterator[str]:
    """`townhall demo` on a free port with a fresh SQLite file; yields its base URL."""
    _chromium()
    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    env = {
        **os.environ,
        "TOWNHALL_RATE_LIMITS": "off",
        "TOWNHALL_SSO_SECRET": SSO_SECRET,
        "TOWNHALL_LOG_JSON": "false",
        "TOWNHALL_ALLOWED_ORIGINS": publisher_origin,
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
        _wait_until_up(proc, f"{base}/healthz", log_path)
        yield base
    finally:
        _stop(proc)


PUBLISHER_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Publisher page</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {server};
 style-src 'self'; connect-src {server}; img-src 'self'; base-uri 'none'; form-action 'none'">
</head>
<body><main><h1>{title}</h1><p>An article on the publisher's own site.</p>
<townhall-comments story-id="{story}" story-url="{origin}/{name}" story-title="{title}">
</townhall-comments></main>
<script src="{server}/embed.js" async></script></body></html>
"""


@pytest.fixture(scope="session")
def publisher_site(
    tmp_path_factory: pytest.TempPathFactory, live_server: str, publisher_origin: str
) -> Iterator[str]:
    """A static publisher site on another origin whose pages embed the widget."""
    root = tmp_path_factory.mktemp("publisher")
    for name, story in (("index.html", "publisher-story"), ("other.html", "publisher-other")):
        (root / name).write_text(
            PUBLISHER_PAGE.format(
                title=f"Publisher story {story}",
                story=story,
                origin=publisher_origin,
                name=name,
                server=live_server,
            ),
            encoding="utf-8",
        )
    # An article deep in the site whose element names no story: its path is the story id.
    nested = root / "news" / "world" / "article-1.html"
    nested.parent.mkdir(parents=True)
    page = PUBLISHER_PAGE.format(
        title="A nested article",
        story="",
        origin=publisher_origin,
        name="news/world/article-1.html",
        server=live_server,
    )
    nested.write_text(page.replace('story-id="" ', ""), encoding="utf-8")
    port = publisher_origin.rsplit(":", 1)[1]
    log_path = root / "http.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                port,
                "--bind",
                "127.0.0.1",
                "--directory",
                str(root),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(proc, f"{publisher_origin}/index.html", log_path)
        yield publisher_origin
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def screens() -> Path:
    """Folder for screenshots that reviewers open."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    return SCREENS
