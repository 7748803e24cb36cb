"""The built artefacts: the wheel (built once per session) and a folder of its dependencies."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*argv: str | Path, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, failing the test with its output when it fails."""
    res = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        **kwargs,
    )
    if res.returncode != 0:
        pytest.fail(f"{argv[0]} {argv[1]} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return res


def pip(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """This interpreter's pip, quietly."""
    return run(sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args,
               timeout=timeout)  # fmt: skip


@pytest.fixture(scope="session")
def townhall_wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built once for the session."""
    out = tmp_path_factory.mktemp("dist")
    # setuptools reuses build/ between builds; a stale file there would end up in the wheel.
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    pip("wheel", "--no-deps", "--wheel-dir", out, ROOT)
    (wheel,) = out.glob("townhall-*.whl")
    return wheel


@pytest.fixture(scope="session")
def wheelhouse(townhall_wheel) -> Path:
    """The wheel beside the wheels of every dependency it declares (quick from pip's cache)."""
    pip("wheel", "--wheel-dir", townhall_wheel.parent, townhall_wheel)
    return townhall_wheel.parent
