"""Consistency checks read straight from the database after a crash or a load run."""

from __future__ import annotations

from tests.reliability.server import sql_rows


async def broken_invariants(db_url: str) -> list[str]:
    """Every way the stored data disagrees with itself; empty when consistent."""
    problems: list[str] = []
    for (cid,) in await sql_rows(db_url, "SELECT id FROM comments WHERE root_id IS NULL"):
        problems.append(f"comment {cid} has no root_id (half-written insert)")
    rows = await sql_rows(
        db_url,
        "SELECT p.id, p.reply_count, (SELECT count(*) FROM comments ch WHERE ch.parent_id = p.id"
        " AND ch.status = 'published' AND ch.is_shadowed = false) FROM comments p",
    )
    problems += [
        f"comment {i}: reply_count {n} but {real} public replies"
        for i, n, real in rows
        if n != real
    ]
    # Likes and flags of shadow-banned readers are recorded but not counted.
    rows = await sql_rows(
        db_url,
        "SELECT c.id, c.like_count, (SELECT count(*) FROM likes l JOIN users u ON u.id = l.user_id"
        " WHERE l.comment_id = c.id AND u.is_shadowbanned = false) FROM comments c",
    )
    problems += [
        f"comment {i}: like_count {n} but {real} likes" for i, n, real in rows if n != real
    ]
    rows = await sql_rows(
        db_url,
        "SELECT c.id, c.report_count, (SELECT count(*) FROM reports r JOIN users u"
        " ON u.id = r.user_id WHERE r.comment_id = c.id AND r.reason <> 'disagree'"
        " AND u.is_shadowbanned = false), (SELECT count(*) FROM reports r"
        " WHERE r.comment_id = c.id AND r.reason <> 'disagree') FROM comments c",
    )
    problems += [
        f"comment {i}: report_count {n} outside {low}..{high} flags"
        for i, n, low, high in rows
        if not low <= n <= high
    ]
    rows = await sql_rows(
        db_url,
        "SELECT s.key,"
        " s.published_open + coalesce((SELECT sum(d.d_open) FROM story_count_deltas d"
        " WHERE d.story_id = s.id), 0),"
        " s.published_premium + coalesce((SELECT sum(d.d_premium) FROM story_count_deltas d"
        " WHERE d.story_id = s.id), 0),"
        " (SELECT count(*) FROM comments c WHERE c.story_id = s.id AND c.stream = 'open'"
        " AND c.status = 'published' AND c.is_shadowed = false),"
        " (SELECT count(*) FROM comments c WHERE c.story_id = s.id AND c.stream = 'premium'"
        " AND c.status = 'published' AND c.is_shadowed = false) FROM stories s",
    )
    problems += [
        f"story {key}: counts {o}/{p} but {ro}/{rp} public comments"
        for key, o, p, ro, rp in rows
        if (o, p) != (ro, rp)
    ]
    for (cid,) in await sql_rows(
        db_url,
        "SELECT ch.id FROM comments ch LEFT JOIN comments p ON p.id = ch.parent_id"
        " WHERE ch.parent_id IS NOT NULL AND p.id IS NULL",
    ):
        problems.append(f"comment {cid} replies to a missing comment")
    for cid, uid in await sql_rows(
        db_url,
        "SELECT l.comment_id, l.user_id FROM likes l LEFT JOIN comments c ON c.id = l.comment_id"
        " WHERE c.id IS NULL",
    ):
        problems.append(f"like by {uid} on missing comment {cid}")
    return problems
