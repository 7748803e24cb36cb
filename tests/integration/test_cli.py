"""The `townhall` command line: migrate, create-admin, import, export, moderate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BIN = str(Path(sys.executable).parent / "townhall")
DATA = Path(__file__).parent.parent / "data"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TOWNHALL_LOG_JSON": "off"},
    )


def test_create_admin_reads_password_from_stdin_and_can_log_in(tmp_path):
    db = str(tmp_path / "cli.sqlite3")
    res = run(
        "create-admin",
        "chief@example.org",
        "--name",
        "Chief Editor",
        "--db",
        db,
        stdin="a long admin password\n",
    )
    assert res.returncode == 0, res.stderr
    assert "admin chief@example.org ready" in res.stdout
    assert "one-time password" not in res.stdout
    res = run("create-admin", "short@example.org", "--db", db, stdin="short\n")
    assert res.returncode == 2 and "at least" in res.stderr


def test_import_then_export_round_trip(tmp_path):
    db = str(tmp_path / "port.sqlite3")
    res = run("import", "disqus", str(DATA / "disqus.xml"), "--db", db)
    assert res.returncode == 0, res.stderr
    assert "imported 3 comments" in res.stdout
    out = tmp_path / "out.jsonl"
    res = run("export", "--db", db, "--output", str(out))
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["story_id"] for r in rows} == {"bridge-story"}
    assert len(rows) == 3


def test_moderate_reads_lines_and_prints_verdicts(tmp_path):
    db = str(tmp_path / "mod.sqlite3")
    assert run("migrate", "--db", db).returncode == 0
    res = run(
        "moderate",
        "--db",
        db,
        stdin='{"text": "A fair point about the rail budget."}\n'
        "Her number is 07911 123456, ring her\n",
    )
    assert res.returncode == 0, res.stderr
    first, second = (json.loads(line) for line in res.stdout.splitlines())
    assert first["action"] == "publish"
    assert second["action"] == "hold" and second["guideline"] == "private_info"
