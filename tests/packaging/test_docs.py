"""The deployment files in docs/deploy.md are valid, and the changelog has its release shape."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.packaging.conftest import ROOT, run

DEPLOY = ROOT / "docs" / "deploy.md"
CHANGELOG = ROOT / "CHANGELOG.md"
RELEASE = re.compile(r"## (\d+)\.(\d+)\.(\d+) — \d{4}-\d{2}-\d{2}")


def _block(language: str) -> str:
    found = re.findall(rf"```{language}\n(.*?)```", DEPLOY.read_text(), re.S)
    assert len(found) == 1, f"expected one {language} block in docs/deploy.md"
    return found[0]


def _tool(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} not installed")
    return path


def test_documented_systemd_unit_has_no_unknown_or_invalid_settings(tmp_path):
    analyze = _tool("systemd-analyze")
    unit = _block("ini")
    assert "ExecStart=/opt/townhall/bin/townhall serve " in unit
    # verify needs the program to exist: point it at this environment's townhall.
    unit = unit.replace("/opt/townhall/bin/townhall", str(Path(sys.executable).parent / "townhall"))
    path = tmp_path / "townhall.service"
    path.write_text(unit)
    res = subprocess.run(
        [analyze, "verify", "--man=no", str(path)],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert res.returncode == 0 and res.stderr.strip() == "", res.stderr
    for hardening in ("NoNewPrivileges=yes", "ProtectSystem=strict", "CapabilityBoundingSet="):
        assert hardening in unit


def test_documented_nginx_site_passes_nginx_configuration_test(tmp_path):
    nginx = _tool("nginx")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", key, "-out", cert, "-days", "1",
        "-subj", "/CN=comments.example.org")  # fmt: skip
    site = _block("nginx")
    live = "/etc/letsencrypt/live/comments.example.org/"
    site = site.replace(live + "fullchain.pem", str(cert)).replace(live + "privkey.pem", str(key))
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"error_log {tmp_path / 'error.log'};\npid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        f"http {{ access_log off; include {tmp_path / 'site.conf'}; }}\n"
    )
    res = run(nginx, "-t", "-c", main)
    assert "test is successful" in res.stderr
    events = re.search(r"location ~ \^/api/v1/stories/\.\+/events\$ \{(.*?)\}", site, re.S)
    assert events and "proxy_buffering off;" in events.group(1)
    metrics = re.search(r"location = /metrics \{(.*?)\}", site, re.S)
    assert metrics and "deny all;" in metrics.group(1)


def test_changelog_keeps_unreleased_on_top_then_one_dated_section_per_release():
    headings = re.findall(r"^## .*$", CHANGELOG.read_text(), re.M)
    assert headings[0] == "## Unreleased"
    releases = []
    for heading in headings[1:]:
        match = RELEASE.fullmatch(heading)
        assert match, f"release heading not like '## 1.2.0 — 2026-01-31': {heading!r}"
        releases.append(tuple(int(part) for part in match.groups()))
    assert releases == sorted(releases, reverse=True), "releases must be newest first"
    tags = subprocess.run(
        ["git", "-C", str(ROOT), "tag", "--list", "v[0-9]*"],
        capture_output=True, text=True, timeout=30, check=False,
    ).stdout.split()  # fmt: skip
    documented = {".".join(map(str, r)) for r in releases}
    assert {t.removeprefix("v") for t in tags} <= documented, "a tagged release has no section"
