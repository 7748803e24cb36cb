"""Retention: abuse-prevention data goes after the site's number of days, a deleted
account's name after its quarantine; time is moved with the context's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text

from tests.factories import post, sign_in, sso_token
from tests.integration.test_cli import run
from townhall.services.retention import purge_personal_data
from townhall.storage.sql.tables import audit_log, comments

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """The context's clock, moved by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def _hashes(ctx) -> dict[int, str | None]:
    async with ctx.read() as tx:
        rows = await tx.conn.execute(select(comments.c.id, comments.c.ip_hash))
        return {r.id: r.ip_hash for r in rows}


async def _attack_entries(ctx) -> list[dict]:
    async with ctx.read() as tx:
        rows = await tx.conn.execute(
            select(audit_log.c.after).where(audit_log.c.action == "security.staff_sign_in_attack")
        )
        return [r.after for r in rows]


async def test_purge_keeps_data_for_the_sites_days_then_forgets_it(app_client):
    from townhall.domain.models import Role
    from townhall.services.accounts import _alert_staff, create_admin
    from townhall.services.sites import update_site_settings

    ctx = app_client.ctx
    clock = FakeClock(START)
    ctx.clock = clock
    admin = await create_admin(ctx, email="chief@example.org", password="a long admin password")
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    old = await post(app_client, ann, "Written on day zero.")
    async with ctx.write() as tx:
        await tx.conn.execute(
            text("UPDATE comments SET ip_hash = 'h-old' WHERE id = :i"), {"i": old["id"]}
        )
    await _alert_staff(ctx, admin, "203.0.113.9")
    clock.advance(days=60)
    ann = await sign_in(app_client, "ann")  # the day-zero session has expired
    new = await post(app_client, ann, "Written on day sixty.")
    async with ctx.write() as tx:
        await tx.conn.execute(
            text("UPDATE comments SET ip_hash = 'h-new' WHERE id = :i"), {"i": new["id"]}
        )

    clock.advance(days=29)  # day 89: the default 90 days have not passed for anything
    assert await purge_personal_data(ctx) == {
        "address_hashes": 0,
        "audit_addresses": 0,
        "sessions": 0,
        "names_released": 0,
    }
    assert (await _hashes(ctx))[old["id"]] == "h-old"
    assert (await _attack_entries(ctx))[0]["last_address"] == "203.0.113.9"

    clock.advance(days=2)  # day 91: day zero's data goes, day sixty's stays
    purged = await purge_personal_data(ctx)
    assert purged["address_hashes"] == 1 and purged["audit_addresses"] == 1
    assert await _hashes(ctx) == {old["id"]: None, new["id"]: "h-new"}
    [entry] = await _attack_entries(ctx)
    assert "last_address" not in entry and entry["failures"]  # the rest of the record stays

    # A site that keeps such data for 30 days: day sixty's goes at once, a second run finds nothing.
    await update_site_settings(ctx, admin, {"retention_days": 30})
    purged = await purge_personal_data(ctx)
    assert purged["address_hashes"] == 1
    assert purged["sessions"] >= 1  # sessions that expired on day thirty
    assert set((await _hashes(ctx)).values()) == {None}
    assert not any((await purge_personal_data(ctx)).values())
    assert Role.ADMIN.value == admin.role.value


async def test_a_deleted_accounts_name_is_released_after_the_quarantine(app_client):
    ctx = app_client.ctx
    clock = FakeClock(START)
    ctx.clock = clock
    leaver = await sign_in(app_client, "leaver", name="Quinn Leaving")
    res = await app_client.request(
        "DELETE",
        "/api/v1/me",
        json={"comments": "keep", "sso_token": sso_token("leaver")},
        headers=leaver,
    )
    assert res.status_code == 200, res.text
    other = await sign_in(app_client, "other")
    url = "/api/v1/me/name"
    clock.advance(days=29)
    await purge_personal_data(ctx)
    res = await app_client.put(url, json={"name": "Quinn Leaving"}, headers=other)
    assert res.status_code == 422 and res.json()["rule"] in ("taken", "confusable")
    clock.advance(days=2)
    assert (await purge_personal_data(ctx))["names_released"] == 1
    other = await sign_in(app_client, "other")  # the first session has expired
    res = await app_client.put(url, json={"name": "Quinn Leaving"}, headers=other)
    assert res.status_code == 200, res.text


async def test_the_purge_command_prints_what_it_purged(tmp_path):
    db = str(tmp_path / "purge.sqlite3")
    res = run("purge", "--db", db)
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == [
        "address_hashes: 0",
        "audit_addresses: 0",
        "sessions: 0",
        "names_released: 0",
    ]


async def test_the_servers_background_job_purges_on_its_first_pass(app_client):
    import asyncio

    from townhall.services.retention import run_retention

    ctx = app_client.ctx
    clock = FakeClock(START)
    ctx.clock = clock
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    old = await post(app_client, ann, "Written long ago.")
    async with ctx.write() as tx:
        await tx.conn.execute(
            text("UPDATE comments SET ip_hash = 'h' WHERE id = :i"), {"i": old["id"]}
        )
    clock.advance(days=91)
    job = asyncio.create_task(run_retention(ctx, interval=3600))
    try:
        for _ in range(500):  # the first pass runs at once; the next one is an hour away
            if (await _hashes(ctx))[old["id"]] is None:
                break
            await asyncio.sleep(0.01)
        assert (await _hashes(ctx))[old["id"]] is None
    finally:
        job.cancel()


def test_the_job_can_be_turned_off_and_is_bounded(make_settings, sqlite_url):
    import pytest

    from townhall.errors import ConfigError

    assert make_settings(sqlite_url).retention_interval_seconds == 3600
    assert make_settings(sqlite_url, retention_interval_seconds=0).retention_interval_seconds == 0
    with pytest.raises(ConfigError, match="retention_interval_seconds"):
        make_settings(sqlite_url, retention_interval_seconds=-1)
