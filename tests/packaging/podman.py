"""Building and running the container image with podman on a machine without a registry.

No image registry is reachable here, so the base image is a Debian root file system made
with mmdebstrap from Debian's packages (kept in podman's store between runs), and pip in
the build installs from a local folder of wheels (`--no-index`). podman runs with runc
and without default ulimits, which this machine's sandbox and cgroup layout need.
"""

from __future__ import annotations

import email.parser
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

BASE_IMAGE = "localhost/townhall-test-base:bookworm"
BASE_PACKAGES = "python3,python3-venv,ca-certificates"
CONTAINERS_CONF = '[containers]\ndefault_ulimits = []\n[engine]\ncgroup_manager = "cgroupfs"\n'
# The marker environment of the image's Python (PEP 508), printed from inside it.
MARKERS_SCRIPT = """
import json, os, platform, sys
impl = sys.implementation
print(json.dumps({
    "implementation_name": impl.name,
    "implementation_version": "{0.major}.{0.minor}.{0.micro}".format(impl.version),
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_python_implementation": platform.python_implementation(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
    "sys_platform": sys.platform,
}))
"""


class Podman:
    """The podman command with this machine's runtime settings."""

    def __init__(self, workdir: Path) -> None:
        conf = workdir / "containers.conf"
        conf.write_text(CONTAINERS_CONF)
        self.env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "CONTAINERS_CONF": str(conf)}
        self.argv = ["podman", "--runtime", shutil.which("runc") or "/usr/sbin/runc"]

    def run(self, *args: str | Path, timeout: float = 300, check: bool = True):
        """One podman command; fails the test with its output when `check` and it fails."""
        res = subprocess.run(
            [*self.argv, *map(str, args)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and res.returncode != 0:
            pytest.fail(f"podman {args[0]} failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
        return res

    def image_exists(self, name: str) -> bool:
        """Whether the local store has this image."""
        return self.run("image", "exists", name, check=False).returncode == 0

    def base_image(self, workdir: Path) -> str:
        """The Debian base with Python, made once and then reused from podman's store."""
        if not self.image_exists(BASE_IMAGE):
            tar = workdir / "rootfs.tar"
            cmd = ["mmdebstrap", "--quiet", "--variant=minbase", f"--include={BASE_PACKAGES}",
                   "bookworm", str(tar)]  # fmt: skip
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=600, check=False)
            if res.returncode != 0:
                pytest.fail(f"mmdebstrap failed:\n{res.stderr[-3000:]}")
            self.run("import", tar, BASE_IMAGE)
            tar.unlink()
        return BASE_IMAGE

    def markers(self, image: str) -> dict[str, str]:
        """PEP 508 marker values of the image's python3."""
        res = self.run("run", "--rm", "--network=none", image, "python3", "-c", MARKERS_SCRIPT)
        return json.loads(res.stdout)


def _requirements(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(name).decode())
    return [Requirement(line) for line in meta.get_all("Requires-Dist") or []]


def complete_for(folder: Path, markers: dict[str, str]) -> None:
    """Add the wheels another Python needs to a folder pip filled for this one.

    pip resolves environment markers against the Python it runs on, so a dependency that
    only an older or newer interpreter needs (redis wants async-timeout below 3.11.3) is
    missing from the folder; this adds those, for the image's Python.
    """
    for _ in range(5):
        have = {canonicalize_name(parse_wheel_filename(w.name)[0]): w for w in folder.glob("*.whl")}
        wanted_extras: dict[str, set[str]] = {}
        missing: set[str] = set()
        for _ in range(2):  # the second pass sees the extras that the first one found
            for project, wheel in have.items():
                for req in _requirements(wheel):
                    extras = {"", *wanted_extras.get(project, ())}
                    if req.marker and not any(
                        req.marker.evaluate({**markers, "extra": e}) for e in extras
                    ):
                        continue
                    name = canonicalize_name(req.name)
                    wanted_extras.setdefault(name, set()).update(req.extras)
                    if name not in have:
                        missing.add(f"{req.name}{req.specifier}")
        if not missing:
            return
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "--python-version", markers["python_version"], "--dest", str(folder), *missing],
            capture_output=True, timeout=300, check=True,
        )  # fmt: skip
    pytest.fail(f"dependencies for the image's Python still missing: {sorted(missing)}")
