"""What a post reads before it writes (the session, the story, the author's recent and
published comments, the staff's names) decides its fate alike on SQLite and PostgreSQL,
where those reads are one statement."""

from __future__ import annotations

from tests.conftest import _client
from tests.factories import make_staff, sign_in

SITE = "/api/v1/admin/site"
MOD = "/api/v1/moderation"


async def _outcome(client, headers, body: str, story: str = "story-1", **extra) -> str:
    res = await client.post(
        f"/api/v1/stories/{story}/comments", json={"body": body, **extra}, headers=headers
    )
    data = res.json()
    if res.status_code == 201:
        guideline = (data.get("moderation") or {}).get("guideline")
        return f"{data['status']}:{guideline}" if guideline else data["status"]
    return f"{res.status_code}:{data['code']}"


async def _hold(client, admin, count: int) -> None:
    res = await client.patch(
        SITE, json={"moderation": {"new_user_hold_count": count}}, headers=admin
    )
    assert res.status_code == 200, res.text


async def test_posting_rules_read_with_the_session_decide_alike(app_client):
    c = app_client
    admin = await sign_in(c, "admin", name="Vikram Rao")
    await make_staff(c, admin, "admin")
    nadia = await sign_in(c, "nadia", name="Nadia")
    seen = [await _outcome(c, nadia, "The council should publish the full budget first.")]
    await _hold(c, admin, 2)  # one published comment of two needed: held
    seen.append(await _outcome(c, nadia, "Bus routes in the north were cut twice already."))
    seen.append(await _outcome(c, nadia, "Nobody asked the parents about the school week."))
    await _hold(c, admin, 1)  # one of one: published again
    seen.append(await _outcome(c, nadia, "Libraries are the last free public rooms we have."))
    # The same words again: the recent comments read with the session hold it.
    seen.append(await _outcome(c, nadia, "Libraries are the last free public rooms we have."))
    # The story read with the session: pre-moderated, then closed; its Premium stream.
    await _outcome(c, admin, "Opening the discussion.", story="s-rules")
    res = await c.patch(f"{MOD}/stories/s-rules", json={"premoderate": True}, headers=admin)
    assert res.status_code == 200
    seen.append(await _outcome(c, nadia, "A measured view on the rules.", story="s-rules"))
    seen.append(
        await _outcome(c, nadia, "Premium thoughts here.", story="s-rules", stream="premium")
    )
    await c.patch(f"{MOD}/stories/s-rules", json={"is_closed": True}, headers=admin)
    seen.append(await _outcome(c, nadia, "Too late for this one?", story="s-rules"))
    # Sessions that do not hold.
    seen.append(await _outcome(c, {"Authorization": "Bearer nope"}, "Hello there, friends."))
    seen.append(await _outcome(c, {"Authorization": "Bearer " + "x" * 300}, "Hello again."))
    assert (await c.post("/api/v1/auth/logout", headers=nadia)).status_code == 204
    seen.append(await _outcome(c, nadia, "Still here after signing out?"))
    assert seen == [
        "published",
        "pending:trust",
        "pending:trust",
        "published",
        "pending:spam",
        "pending:trust",
        "403:premium-required",
        "409:story-closed",
        "401:unauthenticated",
        "401:unauthenticated",
        "401:unauthenticated",
    ]


async def test_bursts_and_rate_limits_count_the_posts_read_with_the_session(db_url, make_settings):
    async with _client(make_settings(db_url, rate_limits=True)) as c:
        reader = await sign_in(c, "quick", name="Quick Reader")
        bodies = [
            "Trains late again this morning.",
            "The new bridge looks unfinished.",
            "Parking fees doubled overnight.",
            "Who approved the stadium plan?",
            "Rents rose faster than wages here.",
            "Street lights out on Elm Road.",
            "The market moved to Sundays.",
        ]
        seen = [await _outcome(c, reader, body) for body in bodies]
        # The sixth within a minute is a burst (held); the seventh passes the rate limit.
        assert seen == [*["published"] * 5, "pending:spam", "429:rate-limited"]
