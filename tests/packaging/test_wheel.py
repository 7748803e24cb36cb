"""The wheel: what it holds, its licence metadata, and a clean virtualenv that installs it."""

from __future__ import annotations

import email.parser
import sqlite3
import sys
import zipfile

from tests.packaging.conftest import run


def _metadata(wheel) -> tuple[list[str], email.message.Message]:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
        return names, email.parser.Parser().parsestr(zf.read(meta).decode())


def test_wheel_declares_apache_2_and_carries_licence_and_notice(townhall_wheel):
    names, meta = _metadata(townhall_wheel)
    assert meta["License-Expression"] == "Apache-2.0"
    assert sorted(meta.get_all("License-File")) == ["LICENSE", "NOTICE"]
    licences = {n.rsplit("/", 1)[-1] for n in names if "/licenses/" in n}
    assert licences == {"LICENSE", "NOTICE"}


def test_wheel_ships_the_web_assets_migrations_and_model_but_no_tests(townhall_wheel):
    names, _ = _metadata(townhall_wheel)
    assert "townhall/web/static/embed.js" in names
    assert "townhall/web/admin/app.js" in names
    assert any(n.startswith("townhall/migrations/versions/") for n in names)
    assert any(n.startswith("townhall/moderation/data/") for n in names)
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]


def test_clean_virtualenv_installs_the_wheel_and_runs_townhall(
    townhall_wheel, wheelhouse, tmp_path
):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    # Only the wheel and the dependencies it declares, nothing from this checkout.
    run(venv / "bin" / "pip", "install", "-q", "--no-index", "--find-links", wheelhouse,
        townhall_wheel)  # fmt: skip
    townhall = venv / "bin" / "townhall"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    help_text = run(townhall, "--help", env=env, cwd=tmp_path).stdout
    for command in ("serve", "demo", "migrate", "create-admin", "import", "export"):
        assert command in help_text
    version = townhall_wheel.name.split("-")[1]
    assert run(townhall, "--version", env=env, cwd=tmp_path).stdout.strip() == f"townhall {version}"
    db = tmp_path / "fresh.sqlite3"
    run(townhall, "migrate", "--db", db, env={**env, "TOWNHALL_LOG_JSON": "off"}, cwd=tmp_path)
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"sites", "stories", "comments", "users"} <= tables
