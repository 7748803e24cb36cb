"""Schema-driven fuzzing of every documented operation over real HTTP.

Each operation gets generated valid and invalid inputs, as an anonymous reader, a
commenter and an admin; no answer may be a 5xx, use an undocumented status or
content type, or break its documented schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.reliability.server import Server, fresh_database
from tests.security.world import World, build_world, create_admin

pytestmark = pytest.mark.slow
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# An event stream never ends, so a fuzzer cannot read it whole; test_limits and
# the live suite cover that route.
ENDLESS = r"/events$"
EXAMPLES = 6


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live(request, tmp_path_factory) -> Iterator[tuple[Server, World]]:
    """A real server with a few users and comments to aim at."""
    tmp = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    with fresh_database(request.param, tmp) as db_url:
        server = Server(db_url, tmp)
        server.start()
        try:
            create_admin(server)
            with httpx.Client(base_url=server.base, timeout=30) as http:
                world = build_world(http, server)
                for _ in range(3):
                    world.comment()
                yield server, world
        finally:
            server.stop()


def _fuzz(operation, mode: GenerationMode, base: str, world: World) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        for role in ("anonymous", "commenter", "admin"):
            case.call_and_validate(base_url=base, headers=world.headers[role], checks=CHECKS)

    run()


def test_no_operation_errors_or_breaks_its_schema(live) -> None:
    server, world = live
    schema = schemathesis.openapi.from_url(f"{server.base}/api/openapi.json")
    failures, tried = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if re.search(ENDLESS, operation.path):
            continue
        tried += 1
        for mode in GenerationMode:
            try:
                _fuzz(operation, mode, server.base, world)
            except Unsatisfiable:
                continue  # no inputs to get wrong (no parameters, no body)
            except BaseException as exc:  # hypothesis groups several failures
                if isinstance(exc, KeyboardInterrupt):
                    raise
                failures.append(
                    f"{operation.method.upper()} {operation.path} ({mode.value}): {exc}"
                )
    assert tried >= 20, "the schema lost its operations"
    assert not failures, "\n\n".join(failures)
