# ruff: noqa: E501  (one case per line)
"""Every expected failure of the command line is one line `townhall: …` and a non-zero
exit, never a traceback; `townhall check-config` reports what it finds."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REDIS_URL, need
from tests.integration.test_cli_options import townhall

DATA = Path(__file__).parent.parent / "data"


def _pg_missing_database() -> str:
    base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    return base.rsplit("/", 1)[0] + "/townhall_no_such_database"


def _files(tmp: Path) -> None:
    (tmp / "truncated.xml").write_text(DATA.joinpath("disqus.xml").read_text()[:700])
    (tmp / "bad.toml").write_text('databse_url = "sqlite:///x.sqlite3"\n')
    (tmp / "notes.txt").write_text("hello\n")
    (tmp / "empty.jsonl").write_text("not json at all\n")
    (tmp / "bomb.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<disqus>&b;</disqus>"
    )


# (name, arguments, environment, what the line must say)
CASES = [
    ("bad database URL", ["migrate", "--db", "mysqlish://db/x"], {}, "database URL not understood"),
    ("SQLite in a missing folder", ["migrate", "--db", "/nonexistent/dir/t.sqlite3"], {}, "folder does not exist: /nonexistent/dir"),
    ("unreachable PostgreSQL", ["migrate", "--db", "postgresql://u@127.0.0.1:1/x"], {}, "cannot connect"),
    ("bad log level", ["migrate", "--db", "t.sqlite3"], {"TOWNHALL_LOG_LEVEL": "loud"}, "TOWNHALL_LOG_LEVEL"),
    ("out-of-range setting", ["migrate", "--db", "t.sqlite3"], {"TOWNHALL_SESSION_DAYS": "0"}, "TOWNHALL_SESSION_DAYS"),
    ("unknown key in the settings file", ["--config", "bad.toml", "migrate"], {}, "unknown setting 'databse_url'"),
    ("missing settings file", ["migrate", "--config", "nope.toml"], {}, "cannot read config file"),
    ("missing import file", ["import", "disqus", "nofile.xml", "--db", "t.sqlite3"], {}, "no such file"),
    ("malformed import file", ["import", "disqus", "truncated.xml", "--db", "t.sqlite3"], {}, "cannot import truncated.xml as disqus"),
    ("wrong format", ["import", "disqus", str(DATA / "wordpress.xml"), "--db", "t.sqlite3"], {}, "not a Disqus export: the root element is <rss>"),
    ("XML with entity declarations", ["import", "disqus", "bomb.xml", "--db", "t.sqlite3"], {}, "a DTD or entity declaration is not allowed"),
    ("not XML at all", ["import", "wxr", "notes.txt", "--db", "t.sqlite3"], {}, "cannot import notes.txt as wxr"),
    ("not JSON", ["import", "remark42", "empty.jsonl", "--db", "t.sqlite3"], {}, "cannot import empty.jsonl as remark42"),
    ("not an Isso database", ["import", "isso", "notes.txt", "--db", "t.sqlite3"], {}, "cannot import notes.txt as isso"),
    ("unknown format", ["import", "blogger", "x.xml"], {}, "invalid choice: 'blogger'"),
    ("missing argument", ["import", "disqus"], {}, "the following arguments are required: path"),
    ("unknown command", ["frobnicate"], {}, "invalid choice: 'frobnicate'"),
    ("export into a missing folder", ["export", "--db", "t.sqlite3", "-o", "/nonexistent/out.jsonl"], {}, "No such file or directory"),
    ("full archive to a terminal-less missing folder", ["export", "--full", "--db", "t.sqlite3", "-o", "/nonexistent/a.gz"], {}, "No such file or directory"),
    ("restore from a file that is no archive", ["import", "townhall", "notes.txt", "--db", "r.sqlite3"], {}, "not a townhall archive"),
    ("bad batch size", ["import", "disqus", str(DATA / "disqus.xml"), "--batch-size", "0", "--db", "t.sqlite3"], {}, "--batch-size"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "args", "env", "says"), CASES, ids=[c[0] for c in CASES])
def test_an_expected_failure_is_one_line_and_a_non_zero_exit(tmp_path, name, args, env, says):
    _files(tmp_path)
    res = townhall(*args, cwd=tmp_path, env=env)
    assert res.returncode != 0, res.stdout
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("townhall: ") and says in lines[0], lines[0]


def test_a_missing_postgres_database_is_one_line(tmp_path):
    res = townhall("migrate", "--db", _pg_missing_database(), cwd=tmp_path)
    assert res.returncode != 0
    assert res.stderr.strip().splitlines() == [
        'townhall: database: database "townhall_no_such_database" does not exist'
    ]


def _lines(res) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in res.stdout.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3:
            found.setdefault(parts[1], []).append(f"{parts[0]} {parts[2]}")
    return found


def test_check_config_passes_on_a_migrated_database(tmp_path):
    assert townhall("migrate", "--db", "t.sqlite3", cwd=tmp_path).returncode == 0
    res = townhall("check-config", "--db", "t.sqlite3", cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    found = _lines(res)
    [database] = found["database"]
    assert database.startswith("ok SQLite ") and "(current)" in database
    assert found["redis"] == ["ok not configured (fine for a single instance)"]
    assert res.stdout.strip().endswith("all checks passed") and res.stderr == ""


def test_check_config_flags_a_misspelt_variable_and_an_unmigrated_database(tmp_path):
    env = {"TOWNHALL_DATABSE_URL": "postgresql://db/x", "TOWNHALL_TEST_ANYTHING": "ignored"}
    (tmp_path / "t.sqlite3").touch()
    res = townhall("check-config", "--db", "t.sqlite3", cwd=tmp_path, env=env)
    assert res.returncode == 1
    found = _lines(res)
    assert found["environment"] == [
        "PROBLEM TOWNHALL_DATABSE_URL names no setting (did you mean TOWNHALL_DATABASE_URL?)"
    ]
    assert "not migrated (run `townhall migrate`)" in found["database"][0]
    assert res.stderr.strip() == "townhall: 2 problems found by check-config"


def test_check_config_names_a_missing_sqlite_file_without_creating_it(tmp_path):
    res = townhall("check-config", "--db", "absent.sqlite3", cwd=tmp_path)
    assert res.returncode == 1
    assert "does not exist yet" in _lines(res)["database"][0]
    assert not (tmp_path / "absent.sqlite3").exists()


def test_check_config_shows_where_settings_come_from_and_hides_secrets(tmp_path):
    (tmp_path / "townhall.toml").write_text('site_name = "The Morning Post"\n')
    env = {"TOWNHALL_SSO_SECRET": "very-secret-value-123", "TOWNHALL_SESSION_DAYS": "7"}
    res = townhall(
        "check-config", "--db", "postgresql://app:hunter2@127.0.0.1:1/x", cwd=tmp_path, env=env
    )
    settings = _lines(res)["setting"]
    assert "ok site_name = The Morning Post (townhall.toml)" in settings
    assert "ok session_days = 7 (environment)" in settings
    assert "ok sso_secret = (set) (environment)" in settings
    assert "very-secret-value-123" not in res.stdout and "hunter2" not in res.stdout
    assert "postgresql://app:***@127.0.0.1:1/x" in res.stdout
    assert _lines(res)["database"][0].startswith("PROBLEM ")


def test_check_config_reaches_postgres_and_redis(tmp_path, pg_database):
    redis = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    res = townhall(
        "check-config", "--db", pg_database, cwd=tmp_path, env={"TOWNHALL_REDIS_URL": redis}
    )
    found = _lines(res)
    assert found["database"][0].startswith("ok PostgreSQL ") and "(current)" in found["database"][0]
    assert found["redis"][0].startswith("ok Redis ")
    assert res.returncode == 0, res.stdout


def test_check_config_names_an_unreachable_redis(tmp_path):
    assert townhall("migrate", "--db", "t.sqlite3", cwd=tmp_path).returncode == 0
    env = {"TOWNHALL_REDIS_URL": "redis://127.0.0.1:1/0"}
    res = townhall("check-config", "--db", "t.sqlite3", cwd=tmp_path, env=env)
    assert res.returncode == 1
    assert _lines(res)["redis"][0].startswith("PROBLEM redis://127.0.0.1:1/0: ")


def test_the_mail_check_greets_a_server_and_names_one_that_does_not_answer():
    """The outside SMTP server is played by a local aiosmtpd (it cannot run here)."""
    from aiosmtpd.controller import Controller

    from townhall.checkup import smtp_finding

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        found = smtp_finding(f"smtp://127.0.0.1:{port}")
        assert not found.problem and found.text.startswith("SMTP at smtp://127.0.0.1:"), found
    finally:
        controller.stop()
    gone = smtp_finding(f"smtp://127.0.0.1:{port}")
    assert gone.problem
    assert smtp_finding(None).text == "not configured (no e-mail is sent)"
    assert smtp_finding("http://127.0.0.1:25").problem


def test_environment_of_the_test_suite_is_not_flagged():
    from townhall.config import unknown_env_names

    assert unknown_env_names({"TOWNHALL_TEST_DATABASE_URL": "x", "TOWNHALL_CONFIG": "y"}) == []
    assert unknown_env_names(dict(os.environ, TOWNHALL_RATELIMITS="off")) == ["TOWNHALL_RATELIMITS"]
