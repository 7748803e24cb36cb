"""The committed embed.js is exactly what the widget's sources build to."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _need(path: Path | None, what: str) -> None:
    if path is None or not path.exists():
        reason = f"{what} missing: install Node.js and run `npm ci` in the repository"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


def test_committed_embed_script_is_built_from_the_current_sources() -> None:
    node = shutil.which("node")
    _need(Path(node) if node else None, "node")
    _need(ROOT / "node_modules" / "esbuild", "esbuild")
    run = subprocess.run(
        [node, "scripts/widget.mjs", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr or run.stdout
