"""Readers behind one address (an office, a school, a carrier) do not share budgets
that belong to each of them: posting is counted per account, never per address."""

from __future__ import annotations

import httpx

from tests.conftest import _client
from tests.factories import sign_in

OFFICE = ("192.0.2.80", 40000)


async def test_colleagues_behind_one_address_each_have_their_own_posting_budget(
    sqlite_url, make_settings
):
    async with _client(make_settings(sqlite_url, rate_limits=True)) as client:
        office = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=client.app, client=OFFICE),
            base_url="http://testserver",
        )
        async with office:
            alice = await sign_in(office, "office-alice", name="Alice Office")
            bob = await sign_in(office, "office-bob", name="Bob Office")
            url = "/api/v1/stories/office-story/comments"
            site_budget = 6  # the default site's post_rate_per_minute
            for i in range(site_budget):
                res = await office.post(url, json={"body": f"Alice point {i}."}, headers=alice)
                assert res.status_code == 201, res.text
            res = await office.post(url, json={"body": "One too many."}, headers=alice)
            assert res.status_code == 429
            body = res.json()
            assert body["code"] == "rate-limited" and body["limit"] == "posts-per-account"
            assert int(res.headers["retry-after"]) == body["retry_after"] > 0
            for i in range(site_budget):
                res = await office.post(url, json={"body": f"Bob point {i}."}, headers=bob)
                assert res.status_code == 201, res.text
