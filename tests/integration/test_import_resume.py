"""Imports at scale: killed halfway and run again, nothing is lost and nothing doubled;
progress shows as a bar on a terminal and as plain lines otherwise."""

from __future__ import annotations

import asyncio
import fcntl
import importlib.util
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from townhall.storage.sql.engine import normalize_url

BIN = str(Path(sys.executable).parent / "townhall")
ROOT = Path(__file__).parent.parent.parent
COMMENTS = 12_000


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_disqus", ROOT / "bench" / "imports" / "make_disqus.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def big_disqus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("disqus") / "export.xml"
    _generator().write(path, COMMENTS, threads=60, authors=900, seed=7)
    return path


def _cli(*args: str, **kwargs) -> subprocess.Popen:
    env = {"PATH": "/usr/bin:/bin", "TOWNHALL_LOG_JSON": "off"}
    return subprocess.Popen([BIN, *args], env=env, text=True, **kwargs)


async def _scalar(url: str, sql: str) -> int:
    engine = create_async_engine(normalize_url(url))
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(text(sql))).scalar() or 0)
    except Exception:
        return 0  # not created yet
    finally:
        await engine.dispose()


async def test_an_import_killed_halfway_finishes_on_the_next_run_with_nothing_doubled(
    db_url, big_disqus
):
    proc = _cli(
        "import", "disqus", str(big_disqus), "--db", db_url, "--batch-size", "300",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    try:
        while await _scalar(db_url, "SELECT count(*) FROM comments") < 600:
            assert proc.poll() is None, "the import ended before it could be stopped"
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    halfway = await _scalar(db_url, "SELECT count(*) FROM comments")
    assert 0 < halfway < COMMENTS, "killed in the middle"
    again = _cli("import", "disqus", str(big_disqus), "--db", db_url, stdout=subprocess.PIPE)
    out, _ = await asyncio.to_thread(again.communicate, timeout=600)
    assert again.returncode == 0
    assert f"imported {COMMENTS - halfway} comments" in out, out
    assert f"skipped {halfway}" in out
    checks = {
        "comments": "SELECT count(*) FROM comments",
        "distinct keys": "SELECT count(DISTINCT import_key) FROM comments",
        # every reply points at a parent of its own story, root and depth agree
        "broken threads": "SELECT count(*) FROM comments c JOIN comments p ON p.id = c.parent_id"
        " WHERE p.story_id <> c.story_id OR c.depth <> p.depth + 1"
        " OR c.root_id <> coalesce(p.root_id, p.id)",
        # kept counts equal what is there
        "reply counts off": "SELECT count(*) FROM comments p WHERE p.reply_count <> (SELECT"
        " count(*) FROM comments c WHERE c.parent_id = p.id AND c.status = 'published')",
        "story counts off": "SELECT count(*) FROM stories s WHERE s.published_open"
        " + coalesce((SELECT sum(d.d_open) FROM story_count_deltas d WHERE d.story_id = s.id), 0)"
        " <> (SELECT"
        " count(*) FROM comments c WHERE c.story_id = s.id AND c.status = 'published'"
        " AND c.stream = 'open')",
    }
    found = {name: await _scalar(db_url, sql) for name, sql in checks.items()}
    assert found == {
        "comments": COMMENTS,
        "distinct keys": COMMENTS,
        "broken threads": 0,
        "reply counts off": 0,
        "story counts off": 0,
    }
    replies = await _scalar(db_url, "SELECT count(*) FROM comments WHERE parent_id IS NOT NULL")
    assert replies > COMMENTS // 5  # the generator makes about a third replies


def test_progress_is_a_bar_on_a_terminal(tmp_path):
    data = Path(__file__).parent.parent / "data" / "disqus.xml"
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 120, 0, 0))  # rows, columns
    proc = _cli(
        "import", "disqus", str(data), "--db", str(tmp_path / "t.sqlite3"),
        stdout=subprocess.DEVNULL, stderr=side,
    )  # fmt: skip
    os.close(side)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    proc.wait(timeout=120)
    os.close(main)
    screen = shown.decode(errors="replace")
    assert proc.returncode == 0
    assert "importing disqus.xml" in screen and "100%" in screen and "|" in screen, screen
    assert "3 read, 3 new, 0 skipped" in screen and "/s" in screen


def test_progress_is_plain_lines_without_a_terminal(tmp_path):
    data = Path(__file__).parent.parent / "data" / "disqus.xml"
    proc = _cli(
        "import", "disqus", str(data), "--db", str(tmp_path / "t.sqlite3"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    lines = err.strip().splitlines()
    assert lines[-1].startswith("importing disqus.xml: 100% read, 3 read, 3 new, 0 skipped, ")
    assert lines[-1].endswith("/s") and "\r" not in err
