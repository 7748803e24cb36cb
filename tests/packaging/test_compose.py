"""compose.yaml: read as compose reads it, then its services started here the same way.

No image registry is reachable here, so the services are started as local processes from
the file's own definitions: the two townhall instances run the file's command and
environment; nginx runs the file's proxy configuration; the postgres and redis services
are stood in for by this machine's PostgreSQL (a fresh database) and Redis (a fresh key
prefix). Only service addresses are rewritten, as compose's network would resolve them.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
import yaml

from tests.conftest import IN_CI, PG_URL, REDIS_URL, need, pg_execute
from tests.factories import sso_token
from tests.integration.sse_helpers import read_http_stream
from tests.packaging.conftest import ROOT
from tests.servers import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
COMPOSE = ROOT / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
INSTANCES = ("townhall-1", "townhall-2")
_VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


def env_file(path: Path) -> dict[str, str]:
    """KEY=value lines, as compose reads `.env`."""
    pairs = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def interpolate(value, env: dict[str, str]):
    """Compose's variable substitution: ${VAR}, ${VAR:-default}, ${VAR:?error}, $$."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name, op, arg = match.groups()
        current = env.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op in (":?", "?") and unset:
            raise ValueError(f"{name}: {arg}")
        if op in (":-", "-") and unset:
            return arg
        return current or ""

    return _VARIABLE.sub(one, value)


def load_compose(env: dict[str, str]) -> dict:
    """compose.yaml with its anchors resolved and its variables substituted."""
    return interpolate(yaml.safe_load(COMPOSE.read_text()), env)


def test_compose_file_defines_the_stack_and_refuses_to_start_without_secrets():
    spec = load_compose(env_file(ENV_EXAMPLE))
    services = spec["services"]
    assert set(services) == {"postgres", "redis", *INSTANCES, "proxy"}
    for name in INSTANCES:
        svc = services[name]
        assert (ROOT / svc["build"]["context"] / svc["build"]["dockerfile"]).is_file()
        assert svc["command"][:2] == ["townhall", "serve"]
        assert svc["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert svc["depends_on"]["redis"]["condition"] == "service_healthy"
        assert svc["read_only"] is True and svc["cap_drop"] == ["ALL"]
        assert "ports" not in svc  # reached only through the proxy
    assert "healthcheck" in services["postgres"] and "healthcheck" in services["redis"]
    source = services["proxy"]["volumes"][0].split(":")[0]
    assert (ROOT / source).is_file()
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        load_compose({})


def test_proxy_configuration_streams_live_events_unbuffered_for_an_hour():
    spec = load_compose(env_file(ENV_EXAMPLE))
    conf = (ROOT / spec["services"]["proxy"]["volumes"][0].split(":")[0]).read_text()
    events = re.search(r"location ~ \^/api/v1/stories/\.\+/events\$ \{(.*?)\}", conf, re.S)
    assert events, "no location for live streams"
    block = events.group(1)
    assert re.search(r"proxy_buffering\s+off;", block)
    assert re.search(r"proxy_read_timeout\s+1h;", block)
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in conf


# ----- the stack, started from the file -----


def _tool(name: str) -> str:
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if Path(f"/usr/sbin/{name}").exists() else None
    )
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} not installed")
    return path


def _stand_in(url: str, service: str, replacement: str, *, database: str | None = None) -> str:
    """The file's URL for `service`, pointed at the local stand-in instead."""
    parts, local = urlsplit(url), urlsplit(replacement)
    assert parts.hostname == service, f"{url} does not name the {service} service"
    path = f"/{database}" if database else parts.path
    return urlunsplit((parts.scheme, local.netloc, path, parts.query, ""))


class Process:
    """A service started as a local process, its output in a log file."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait_for(self, url: str, within: float = 90) -> None:
        """Until `url` answers 200, or fail with the log."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{url} did not answer:\n{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _instance_argv(command: list[str], port: int) -> list[str]:
    argv = [str(Path(sys.executable).parent / "townhall"), *command[1:]]
    argv[argv.index("--host") + 1] = "127.0.0.1"  # compose's network is the loopback here
    argv[argv.index("--port") + 1] = str(port)
    return argv


def _nginx_conf(conf: str, work: Path, listen: int, upstreams: dict[str, int]) -> Path:
    """The file's server configuration inside a main one like the nginx image's."""
    for address, port in upstreams.items():
        conf = conf.replace(f"server {address} ", f"server 127.0.0.1:{port} ")
    conf, n = re.subn(r"listen\s+80;", f"listen 127.0.0.1:{listen};", conf)
    assert n == 1
    (work / "default.conf").write_text(conf)
    temp = " ".join(f"{kind}_temp_path {work / kind};" for kind in
                    ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))  # fmt: skip
    main = work / "nginx.conf"
    # The test's folders are private to root: started as root, the workers stay root.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main.write_text(
        f"{user}worker_processes 1;\nerror_log {work / 'error.log'} warn;\n"
        f"pid {work / 'nginx.pid'};\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{ access_log off; {temp} include {work / 'default.conf'}; }}\n"
    )
    return main


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[dict[str, str]]:
    """The compose services running: the proxy's address and each instance's."""
    nginx = _tool("nginx")
    base_pg = need(PG_URL, "TOWNHALL_TEST_DATABASE_URL (PostgreSQL)")
    redis_url = need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)")
    work = tmp_path_factory.mktemp("compose")
    settings = env_file(ENV_EXAMPLE)
    spec = load_compose(settings)["services"]
    database = f"townhall_compose_{uuid.uuid4().hex[:10]}"
    pg_execute(base_pg, f'CREATE DATABASE "{database}"')
    started: list[Process] = []
    try:
        ports = {name: free_port() for name in INSTANCES}
        for name in INSTANCES:
            svc = spec[name]
            env = dict(svc["environment"])
            env["TOWNHALL_DATABASE_URL"] = _stand_in(
                env["TOWNHALL_DATABASE_URL"], "postgres", base_pg, database=database
            )
            env["TOWNHALL_REDIS_URL"] = _stand_in(env["TOWNHALL_REDIS_URL"], "redis", redis_url)
            env["TOWNHALL_REDIS_PREFIX"] = f"townhall-compose-{database}:"
            env["PATH"] = os.environ["PATH"]
            started.append(Process(_instance_argv(svc["command"], ports[name]), env,
                                   work / f"{name}.log"))  # fmt: skip
        for process, name in zip(started, INSTANCES, strict=True):
            process.wait_for(f"http://127.0.0.1:{ports[name]}/readyz")
        source = spec["proxy"]["volumes"][0].split(":")[0]
        inner = {f"{name}:{spec[name]['command'][spec[name]['command'].index('--port') + 1]}":
                 ports[name] for name in INSTANCES}  # fmt: skip
        listen = free_port()
        main = _nginx_conf((ROOT / source).read_text(), work, listen, inner)
        proxy = Process([nginx, "-c", str(main), "-g", "daemon off;"], dict(os.environ),
                        work / "nginx.log")  # fmt: skip
        started.append(proxy)
        proxy.wait_for(f"http://127.0.0.1:{listen}/healthz")
        yield {
            "proxy": f"http://127.0.0.1:{listen}",
            "sso_secret": settings["TOWNHALL_SSO_SECRET"],
            **{name: f"http://127.0.0.1:{ports[name]}" for name in INSTANCES},
        }
    finally:
        for process in reversed(started):
            process.stop()
        pg_execute(base_pg, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


async def _signed_in(client: httpx.AsyncClient, secret: str, sub: str) -> dict[str, str]:
    res = await client.post("/api/v1/auth/sso", json={"token": sso_token(sub, secret=secret)})
    assert res.status_code == 200, res.text
    headers = {"Authorization": f"Bearer {res.json()['token']}"}
    res = await client.put("/api/v1/me/name", json={"name": sub.title()}, headers=headers)
    assert res.status_code == 200, res.text
    return headers


async def test_stack_delivers_posts_from_both_instances_to_a_stream_through_the_proxy(stack):
    story = f"compose-{uuid.uuid4().hex[:8]}"
    bodies = {
        "townhall-1": "The bridge repairs were overdue, glad to see them funded.",
        "townhall-2": "The tram extension should reach the hospital first.",
    }
    async with httpx.AsyncClient(base_url=stack["proxy"], timeout=30) as reader:
        opened = asyncio.Event()

        def both_arrived(events) -> bool:
            texts = " ".join(e.data for e in events if e.event == "comment")
            return all(body in texts for body in bodies.values())

        stream = asyncio.create_task(
            read_http_stream(
                reader, f"/api/v1/stories/{story}/events", until=both_arrived, opened=opened,
                within=30,
            )
        )  # fmt: skip
        await asyncio.wait_for(opened.wait(), 15)
        for name, body in bodies.items():
            async with httpx.AsyncClient(base_url=stack[name], timeout=30) as writer:
                headers = await _signed_in(writer, stack["sso_secret"], f"writer{name[-1]}")
                res = await writer.post(
                    f"/api/v1/stories/{story}/comments", json={"body": body}, headers=headers
                )
                assert res.status_code == 201, res.text
                assert res.json()["status"] == "published"
        events = await stream
    assert both_arrived(events)


def test_proxy_answers_health_and_keeps_metrics_private(stack):
    ready = httpx.get(stack["proxy"] + "/readyz", timeout=10)
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}
    assert httpx.get(stack["proxy"] + "/metrics", timeout=10).status_code == 403
    assert httpx.get(stack["townhall-1"] + "/metrics", timeout=10).status_code == 200


def test_oversized_body_is_refused_by_townhall_not_the_proxy(stack):
    res = httpx.post(
        stack["proxy"] + "/api/v1/stories/big/comments",
        content=b"x" * 100_000,
        headers={"Content-Type": "application/json"},
        timeout=10,
    )
    assert res.status_code == 413
    assert res.headers["content-type"].startswith("application/problem+json")
