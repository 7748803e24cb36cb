"""The container image: built from the Containerfile, run against this machine's PostgreSQL
and Redis, serving the API (its default command) and the demo."""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import IN_CI, PG_URL, REDIS_URL, need, pg_execute
from tests.packaging.conftest import ROOT
from tests.packaging.podman import Podman, complete_for
from tests.servers import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]
CONTAINER_USER = "10001"


def _tools() -> None:
    for tool in ("podman", "runc", "mmdebstrap"):
        if shutil.which(tool) is None:
            if IN_CI:
                pytest.fail(f"{tool} is required in CI (.ci/run installs it)")
            pytest.skip(f"{tool} not installed (apt-get install podman runc mmdebstrap uidmap)")


@pytest.fixture(scope="module")
def podman(tmp_path_factory) -> Podman:
    """podman set up for this machine."""
    _tools()
    return Podman(tmp_path_factory.mktemp("podman"))


@pytest.fixture(scope="module")
def image(podman, wheelhouse, townhall_wheel, tmp_path_factory) -> Iterator[str]:
    """The image, built offline from the session's wheel; removed afterwards."""
    work = tmp_path_factory.mktemp("image")
    base = podman.base_image(work)
    context = work / "context"
    shutil.copytree(wheelhouse, context / "dist")
    complete_for(context / "dist", podman.markers(base))
    version = townhall_wheel.name.split("-")[1]
    tag = f"localhost/townhall-test:{uuid.uuid4().hex[:10]}"
    podman.run(
        "build", "--layers=false", "--format", "docker", "--network=none",
        "--file", ROOT / "Containerfile", "--build-arg", f"BASE={base}",
        "--build-arg", "PIP_ARGS=--no-index --find-links /src/dist",
        "--build-arg", f"VERSION={version}", "--tag", tag, context,
        timeout=600,
    )  # fmt: skip
    try:
        yield tag
    finally:
        podman.run("rmi", "--force", tag, check=False)


@pytest.fixture
def services() -> Iterator[dict[str, str]]:
    """A fresh PostgreSQL database and a Redis key prefix of its own."""
    base = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    redis_url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    name = f"townhall_image_{uuid.uuid4().hex[:10]}"
    prefix = f"townhall-image-{uuid.uuid4().hex[:10]}:"
    pg_execute(base, f'CREATE DATABASE "{name}"')
    try:
        yield {
            "database_url": base.rsplit("/", 1)[0] + "/" + name,
            "redis_url": redis_url,
            "redis_prefix": prefix,
        }
    finally:
        pg_execute(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _drop_keys(redis_url, prefix)


def _drop_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        for key in client.scan_iter(match=prefix + "*", count=500):
            client.delete(key)
    finally:
        client.close()


class Container:
    """One detached container on the host network; removed on exit."""

    def __init__(self, podman: Podman, image: str, port: int, env: dict[str, str], *cmd: str):
        self.podman = podman
        self.name = f"townhall-test-{uuid.uuid4().hex[:10]}"
        self.base = f"http://127.0.0.1:{port}"
        env_args = [a for k, v in {"PORT": str(port), **env}.items() for a in ("--env", f"{k}={v}")]
        # --network=host reaches this machine's PostgreSQL and Redis on 127.0.0.1; the
        # health check runs when asked (`podman healthcheck run`), as no systemd times it.
        podman.run("run", "--detach", "--name", self.name, "--network=host",
                   "--health-interval=disable", *env_args, image, *cmd)  # fmt: skip

    def wait_ready(self, within: float = 120) -> dict:
        """/readyz's answer once it is 200; fails with the container's log otherwise."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            try:
                res = httpx.get(self.base + "/readyz", timeout=2)
                if res.status_code == 200:
                    return res.json()
            except httpx.HTTPError:
                pass
            state = self.podman.run("inspect", "--format", "{{.State.Running}}", self.name)
            if state.stdout.strip() != "true":
                break
            time.sleep(0.5)
        logs = self.podman.run("logs", self.name, check=False)
        pytest.fail(f"container did not become ready:\n{logs.stdout[-3000:]}{logs.stderr[-3000:]}")

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc) -> None:
        self.podman.run("rm", "--force", "--time", "5", self.name, check=False)


def test_image_serves_the_api_on_postgres_and_redis_as_a_non_root_user(podman, image, services):
    env = {
        "TOWNHALL_DATABASE_URL": services["database_url"],
        "TOWNHALL_REDIS_URL": services["redis_url"],
        "TOWNHALL_REDIS_PREFIX": services["redis_prefix"],
    }
    with Container(podman, image, free_port(), env) as box:  # the image's own command
        ready = box.wait_ready()
        assert ready["checks"] == {"database": "ok", "redis": "ok"}
        assert httpx.get(box.base + "/healthz").json() == {"status": "ok"}
        health = podman.run("healthcheck", "run", box.name, check=False)
        assert health.returncode == 0, health.stdout + health.stderr
        user = podman.run("exec", box.name, "id", "-u").stdout.strip()
        assert user == CONTAINER_USER


def test_image_serves_the_demo_with_its_comments(podman, image, services):
    env = {"TOWNHALL_REDIS_URL": services["redis_url"],
           "TOWNHALL_REDIS_PREFIX": services["redis_prefix"]}  # fmt: skip
    port = free_port()
    cmd = ("townhall", "demo", "--host", "127.0.0.1", "--port", str(port),
           "--db", services["database_url"])  # fmt: skip
    with Container(podman, image, port, env, *cmd) as box:
        assert box.wait_ready()["checks"] == {"database": "ok", "redis": "ok"}
        page = httpx.get(box.base + "/")
        assert page.status_code == 200
        assert "<townhall-comments" in page.text
        comments = httpx.get(box.base + "/api/v1/stories/demo-article/comments")
        assert comments.status_code == 200
        assert len(comments.json()["comments"]) > 0
        assert httpx.get(box.base + "/embed.js").status_code == 200


def test_image_holds_only_the_installed_wheel(podman, image, townhall_wheel):
    version = townhall_wheel.name.split("-")[1]
    res = podman.run("run", "--rm", "--network=none", image, "townhall", "--version")
    assert res.stdout.strip() == f"townhall {version}"
    # No sources, no build tools and no pip: only the virtual environment made from the wheel.
    script = "test ! -e /src && test ! -e /opt/tools && ! python3 -m pip --version"
    bare = podman.run("run", "--rm", "--network=none", image, "sh", "-c", script, check=False)
    assert bare.returncode == 0, bare.stdout + bare.stderr
    labels = podman.run("image", "inspect", "--format",
                        '{{index .Labels "org.opencontainers.image.licenses"}}', image)  # fmt: skip
    assert labels.stdout.strip() == "Apache-2.0"
