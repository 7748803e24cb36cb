"""Options every `townhall` sub-command shares: --config before or after it, --version."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

BIN = str(Path(sys.executable).parent / "townhall")


def townhall(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "TOWNHALL_LOG_JSON": "off", **(env or {})},
    )


def _tables(db: Path) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


@pytest.mark.parametrize("where", ["before", "after"])
def test_config_file_is_read_whether_given_before_or_after_the_sub_command(tmp_path, where):
    db = tmp_path / "from-config.sqlite3"
    config = tmp_path / "settings.toml"
    config.write_text(f'database_url = "sqlite+aiosqlite:///{db}"\n')
    args = ["--config", str(config), "migrate"]
    if where == "after":
        args = ["migrate", "--config", str(config)]
    res = townhall(*args, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "comments" in _tables(db)
    assert not (tmp_path / "townhall.sqlite3").exists()  # not the default database


def test_config_after_the_sub_command_wins_over_one_before_it(tmp_path):
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text(f'database_url = "sqlite+aiosqlite:///{tmp_path / "one.sqlite3"}"\n')
    second.write_text(f'database_url = "sqlite+aiosqlite:///{tmp_path / "two.sqlite3"}"\n')
    res = townhall("--config", str(first), "migrate", "--config", str(second), cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "two.sqlite3").exists() and not (tmp_path / "one.sqlite3").exists()


def test_version_flag_prints_the_package_version(tmp_path):
    res = townhall("--version", cwd=tmp_path)
    assert res.returncode == 0
    assert res.stdout.strip() == f"townhall {version('townhall')}"
