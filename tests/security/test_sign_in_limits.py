"""Sign-in and registration limits: attackers slow down, real audiences do not.

Each client gets its own address through the ASGI transport, the way uvicorn hands
the app the peer (or, behind a trusted proxy, the X-Forwarded-For) address.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import httpx

from tests.conftest import _client
from townhall.ratelimit import (
    FREE_SIGN_IN_FAILURES,
    REGISTRATIONS_PER_ADDRESS,
    SIGN_IN_FAILURES_PER_ADDRESS,
    STAFF_ATTACK_ALERT,
    MemoryRateLimiter,
)

PASSWORD = "the real passphrase 42"


@asynccontextmanager
async def _app(db_url, make_settings):
    async with _client(make_settings(db_url, rate_limits=True)) as client:
        yield client


def _from(client, address: str) -> httpx.AsyncClient:
    """A client of the same app that connects from another address."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=client.app, client=(address, 40000)),
        base_url="http://testserver",
    )


async def _register(http, email: str) -> None:
    res = await http.post("/api/v1/auth/register", json={"email": email, "password": PASSWORD})
    assert res.status_code == 201, res.text


async def _login(http, email: str, password: str = PASSWORD) -> httpx.Response:
    return await http.post("/api/v1/auth/login", json={"email": email, "password": password})


async def test_the_right_password_from_an_address_that_has_not_failed_is_never_refused(
    db_url, make_settings
):
    async with _app(db_url, make_settings) as client:
        await _register(client, "victim@example.org")
        async with _from(client, "198.51.100.7") as attacker, _from(client, "203.0.113.9") as owner:
            codes = [
                (await _login(attacker, "victim@example.org", f"guess {i:04d}")).status_code
                for i in range(30)
            ]
            assert codes[:FREE_SIGN_IN_FAILURES] == [401] * FREE_SIGN_IN_FAILURES
            assert 429 in codes, codes
            refused = await _login(attacker, "victim@example.org")
            assert refused.status_code == 429
            assert refused.json()["limit"] == "sign-in-tries-per-account-and-address"
            res = await _login(owner, "victim@example.org")
            assert res.status_code == 200, res.text


async def test_each_further_failure_from_an_address_waits_longer(sqlite_url, make_settings):
    async with _app(sqlite_url, make_settings) as client:
        now = [1000.0]
        client.ctx.limiter = MemoryRateLimiter(clock=lambda: now[0])
        await _register(client, "slow@example.org")
        waits = []
        for i in range(40):
            res = await _login(client, "slow@example.org", f"wrong guess {i:04d}")
            if res.status_code == 429:
                wait = int(res.headers["retry-after"])
                waits.append(wait)
                now[0] += wait
            else:
                assert res.status_code == 401
            if len(waits) == 6:
                break
        assert waits == sorted(waits) and waits[-1] >= 8 * waits[0], waits
        res = await _login(client, "slow@example.org")
        assert res.status_code in (200, 429)
        if res.status_code == 429:
            now[0] += int(res.headers["retry-after"])
            assert (await _login(client, "slow@example.org")).status_code == 200
        # A success wipes the slate: the next mistake is free again.
        assert (await _login(client, "slow@example.org", "one typo here")).status_code == 401
        assert (await _login(client, "slow@example.org")).status_code == 200


async def test_successful_sign_ins_do_not_count_against_the_address(db_url, make_settings):
    async with _app(db_url, make_settings) as client:
        emails = [f"office-{i}@example.org" for i in range(8)]
        for email in emails:
            await _register(client, email)
        async with _from(client, "192.0.2.44") as office:
            for _round in range(4):
                for email in emails:
                    res = await _login(office, email)
                    assert res.status_code == 200, res.text


async def test_one_address_failing_across_many_accounts_is_limited(sqlite_url, make_settings):
    async with _app(sqlite_url, make_settings) as client:
        async with _from(client, "198.51.100.99") as stuffer:
            answers = [
                await _login(stuffer, f"someone-{i}@example.org", "password123!")
                for i in range(SIGN_IN_FAILURES_PER_ADDRESS.limit + 1)
            ]
        codes = [a.status_code for a in answers]
        assert codes[:-1] == [401] * SIGN_IN_FAILURES_PER_ADDRESS.limit
        assert codes[-1] == 429
        assert answers[-1].json()["limit"] == "sign-in-failures-per-address"


async def test_a_classroom_can_register_from_one_address(sqlite_url, make_settings):
    async with _app(sqlite_url, make_settings) as client:
        async with _from(client, "192.0.2.10") as school:
            for i in range(30):
                await _register(school, f"pupil-{i}@example.org")
        # The budget is per address: far beyond a classroom, registrations stop.
        async with _from(client, "198.51.100.1") as farm:
            codes = []
            for i in range(REGISTRATIONS_PER_ADDRESS.limit + 1):
                res = await farm.post(
                    "/api/v1/auth/register", json={"email": f"bot{i}@example.org", "password": "x"}
                )
                codes.append(res.status_code)
            assert codes[:-1] == [422] * REGISTRATIONS_PER_ADDRESS.limit  # short password
            assert codes[-1] == 429
            assert res.json()["limit"] == "registrations-per-address"


async def test_an_attack_on_a_staff_account_alerts_staff_once(db_url, make_settings):
    from townhall.domain.models import Role
    from townhall.services.accounts import create_admin

    async with _app(db_url, make_settings) as client:
        await create_admin(
            client.ctx,
            email="editor@example.org",
            password=PASSWORD,
            name="Ed Itor",
            role=Role.MODERATOR,
        )
        await _register(client, "reader@example.org")
        for target in ("editor@example.org", "reader@example.org"):
            for n in range(STAFF_ATTACK_ALERT.limit + 3):
                async with _from(client, f"198.51.100.{n + 1}") as bot:
                    assert (await _login(bot, target, f"nope {n:04d}")).status_code == 401
        staff = await client.post(
            "/api/v1/auth/login", json={"email": "editor@example.org", "password": PASSWORD}
        )
        assert staff.status_code == 200, "the right password still works for the owner"
        headers = {"Authorization": f"Bearer {staff.json()['token']}"}
        res = await client.get(
            "/api/v1/moderation/audit?action=security.staff_sign_in_attack", headers=headers
        )
        [entry] = res.json()["entries"]
        assert entry["target_id"] == str(staff.json()["user"]["id"])
        assert entry["after"]["failures"] == STAFF_ATTACK_ALERT.limit


async def test_registering_an_existing_address_answers_exactly_as_a_new_one(
    db_url, make_settings, monkeypatch
):
    from argon2 import PasswordHasher

    hashed = []
    real_hash = PasswordHasher.hash

    def counting_hash(self, password, *args, **kwargs):
        hashed.append(password)
        return real_hash(self, password, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "hash", counting_hash)
    async with _app(db_url, make_settings) as client:
        first = await client.post(
            "/api/v1/auth/register", json={"email": "taken@example.org", "password": PASSWORD}
        )
        answers = {}
        for label, email in (("new", "fresh@example.org"), ("existing", "Taken@Example.org")):
            hashed.clear()
            res = await client.post(
                "/api/v1/auth/register",
                json={"email": email, "password": "another passphrase 7"},
            )
            answers[label] = (res.status_code, res.json(), res.headers.get("content-type"))
            assert hashed == ["another passphrase 7"], "argon2 hashes the password either way"
        assert first.status_code == 201
        assert answers["new"] == answers["existing"]
        assert "token" not in answers["new"][1]
        # The existing account keeps its password; the new one works with its own.
        assert (await _login(client, "taken@example.org")).status_code == 200
        assert (
            await _login(client, "taken@example.org", "another passphrase 7")
        ).status_code == 401
        assert (
            await _login(client, "fresh@example.org", "another passphrase 7")
        ).status_code == 200


async def test_the_throttle_holds_across_instances_through_redis(sqlite_url, make_settings):
    import uuid

    from tests.conftest import REDIS_URL, need

    settings = make_settings(
        sqlite_url,
        rate_limits=True,
        redis_url=need(REDIS_URL, "TOWNHALL_TEST_REDIS_URL (Redis)"),
        redis_prefix=f"test-{uuid.uuid4().hex[:8]}:",
    )
    async with _client(settings) as one, _client(settings) as two:
        await _register(one, "shared@example.org")
        async with _from(one, "198.51.100.5") as a1, _from(two, "198.51.100.5") as a2:
            codes = []
            for i in range(12):
                http = a1 if i % 2 else a2
                codes.append((await _login(http, "shared@example.org", f"bad {i:04d}")).status_code)
            assert codes[:FREE_SIGN_IN_FAILURES] == [401] * FREE_SIGN_IN_FAILURES
            assert codes.count(429) >= 4, codes
        async with _from(two, "203.0.113.50") as owner:
            assert (await _login(owner, "shared@example.org")).status_code == 200
        await one.ctx.limiter.close()
        await two.ctx.limiter.close()
