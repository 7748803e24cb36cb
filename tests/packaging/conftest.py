"""The built artefacts: the wheel (built once per session) and a folder of its dependencies."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
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


@contextlib.contextmanager
def _shared_folder(tmp_path_factory, name: str) -> Iterator[Path]:
    """A folder shared by every pytest-xdist worker of this run, held under a lock: the
    first worker to get it builds what the others then find there."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's own folder, above each worker's
    folder = root / name
    folder.mkdir(exist_ok=True)
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield folder
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def townhall_wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built once for the run."""
    with _shared_folder(tmp_path_factory, "dist") as out:
        if not list(out.glob("townhall-*.whl")):
            # setuptools reuses build/ between builds; a stale file there would end up in
            # the wheel.
            shutil.rmtree(ROOT / "build", ignore_errors=True)
            pip("wheel", "--no-deps", "--wheel-dir", out, ROOT)
        (wheel,) = out.glob("townhall-*.whl")
    return wheel


@pytest.fixture(scope="session")
def wheelhouse(tmp_path_factory, townhall_wheel) -> Path:
    """The wheel beside the wheels of every dependency it declares (quick from pip's cache)."""
    with _shared_folder(tmp_path_factory, "dist") as out:
        done = out / ".dependencies-added"
        if not done.exists():
            pip("wheel", "--wheel-dir", out, townhall_wheel)
            done.touch()
    return out
