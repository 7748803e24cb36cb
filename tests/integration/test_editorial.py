"""Editorial tools over HTTP, on both backends: picks, and what readers see of them."""

from __future__ import annotations

import pytest

from tests.factories import make_staff, post, sign_in
from townhall.services import comments as comment_service

MOD = "/api/v1/moderation"
STORY = "news/2026/four-day-week"  # story ids may hold slashes
PAGE = f"/api/v1/stories/{STORY}/comments"
FEATURED = f"/api/v1/stories/{STORY}/featured"
CHANNEL = f"story:default:{STORY}"


@pytest.fixture(autouse=True)
def fresh_rules_cache():
    comment_service._RULES.clear()


async def staff(client, sub: str = "ed", name: str = "Edith Desk", role: str = "moderator"):
    """Headers and id of a new staff member."""
    headers = await sign_in(client, sub, name=name)
    await make_staff(client, headers, role)
    me = (await client.get("/api/v1/me", headers=headers)).json()
    return headers, me["id"]


async def read(client, url: str, headers=None) -> dict:
    res = await client.get(url, headers=headers or {})
    assert res.status_code == 200, res.text
    return res.json()


async def test_staff_pick_a_comment_with_a_note_and_readers_see_it_first(app_client):
    ed, ed_id = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    first = await post(app_client, ann, "Fridays off changed our family life.", story=STORY)
    await post(app_client, bo, "A second, later view.", story=STORY)
    await read(app_client, PAGE)  # a cached first page, which the pick must replace
    assert (await read(app_client, FEATURED)) == {"comments": [], "total": 0}

    note = "A parent's first-hand <b>account</b>"
    res = await app_client.post(
        f"{MOD}/comments/{first['id']}/feature", json={"note": note}, headers=ed
    )
    assert res.status_code == 200, res.text
    assert res.json()["featured"] is True and res.json()["feature_note"] == note

    picks = await read(app_client, FEATURED)
    assert picks["total"] == 1 and [c["id"] for c in picks["comments"]] == [first["id"]]
    assert picks["comments"][0]["feature_note"] == note  # plain text; the widget sets it as text
    page = await read(app_client, PAGE)
    assert [c["id"] for c in page["featured"]] == [first["id"]]
    by_id = {c["id"]: c for c in page["comments"]}
    assert by_id[first["id"]]["featured"] is True
    assert all(not c["featured"] for i, c in by_id.items() if i != first["id"])
    # A second page carries no picks: they come once, with the first.
    res = await read(app_client, PAGE + "?limit=1")
    nxt = await read(app_client, PAGE + f"?limit=1&cursor={res['next_cursor']}")
    assert nxt["featured"] == []

    [entry] = (await read(app_client, f"{MOD}/audit?action=comment.feature", headers=ed))["entries"]
    assert entry["actor_id"] == ed_id and entry["target_id"] == str(first["id"])
    assert entry["after"] == {"featured": True, "note": note}
    events = await app_client.ctx.live.history(CHANNEL)
    [picked] = [e for e in events if e.kind == "featured"]
    assert picked.data["id"] == first["id"] and picked.data["featured"] is True
    assert picked.data["feature_note"] == note and picked.audience is None


async def test_a_pick_can_be_taken_back_and_its_note_changed(app_client):
    ed, _ = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    c = await post(app_client, ann, "Worth reading.", story=STORY)
    url = f"{MOD}/comments/{c['id']}/feature"
    assert (await app_client.post(url, headers=ed)).json()["feature_note"] is None
    res = await app_client.post(url, json={"note": "  Clear and  kind. "}, headers=ed)
    assert res.json()["feature_note"] == "Clear and kind."
    assert (await read(app_client, FEATURED))["total"] == 1

    res = await app_client.delete(url, headers=ed)
    assert res.status_code == 200 and res.json()["featured"] is False
    assert res.json()["feature_note"] is None
    assert (await read(app_client, FEATURED))["total"] == 0
    assert (await app_client.delete(url, headers=ed)).status_code == 200  # idempotent
    actions = [e["action"] for e in (await read(app_client, f"{MOD}/audit", headers=ed))["entries"]]
    assert actions.count("comment.unfeature") == 1 and actions.count("comment.feature") == 2
    kinds = [e.kind for e in await app_client.ctx.live.history(CHANNEL)]
    assert kinds.count("featured") == 3
    last = [e for e in await app_client.ctx.live.history(CHANNEL) if e.kind == "featured"][-1]
    assert last.data["featured"] is False


async def test_picking_is_for_staff_and_public_comments_only(app_client):
    ed, _ = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    c = await post(app_client, ann, "A view.", story=STORY)
    url = f"{MOD}/comments/{c['id']}/feature"
    assert (await app_client.post(url, headers=ann)).status_code == 403
    assert (await app_client.post(url)).status_code == 401
    assert (await app_client.delete(url, headers=ann)).status_code == 403
    res = await app_client.post(url, json={"note": "x" * 501}, headers=ed)
    assert res.status_code == 422 and "note" in res.text
    res = await app_client.post(url, json={"note": "ok", "extra": 1}, headers=ed)
    assert res.status_code == 422
    assert (await app_client.post(f"{MOD}/comments/999999/feature", headers=ed)).status_code == 404
    held = await app_client.post(
        f"/api/v1/stories/{STORY}/comments",
        json={"body": "You are a pathetic idiot and a moron, nobody wants you here."},
        headers=ann,
    )
    assert held.json()["status"] == "pending"
    res = await app_client.post(f"{MOD}/comments/{held.json()['id']}/feature", headers=ed)
    assert res.status_code == 409 and res.json()["code"] == "not-public"
    # A pick that is later deleted leaves the list.
    assert (await app_client.post(url, headers=ed)).status_code == 200
    assert (await app_client.delete(f"/api/v1/comments/{c['id']}", headers=ann)).status_code == 204
    assert (await read(app_client, FEATURED))["total"] == 0


async def test_featured_list_refuses_unknown_parameters_and_answers_unknown_stories(app_client):
    assert (await read(app_client, "/api/v1/stories/never-seen/featured"))["total"] == 0
    res = await app_client.get(FEATURED + "?sort=oldest")
    assert res.status_code == 422
    res = await app_client.get(FEATURED)
    tag = res.headers["etag"]
    again = await app_client.get(FEATURED, headers={"If-None-Match": tag})
    assert again.status_code == 304


async def test_premium_picks_stay_with_readers_who_may_read_premium(app_client):
    ed, _ = await staff(app_client, role="admin")
    res = await app_client.patch(
        "/api/v1/admin/site", json={"premium_read_restricted": True}, headers=ed
    )
    assert res.status_code == 200, res.text
    pia = await sign_in(app_client, "pia", name="Pia Premium", premium=True)
    c = await post(app_client, pia, "Subscribers' view.", story=STORY, stream="premium")
    assert (await app_client.post(f"{MOD}/comments/{c['id']}/feature", headers=ed)).is_success
    assert (await read(app_client, FEATURED))["total"] == 0
    assert (await read(app_client, FEATURED, headers=pia))["total"] == 1


async def test_a_story_prompt_and_a_pinned_staff_comment_reach_readers(app_client):
    ed, _ = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    reader_comment = await post(app_client, ann, "A reader's view.", story=STORY)
    staff_comment = await post(app_client, ed, "We asked three families.", story=STORY)
    settings = f"{MOD}/stories/{STORY}"
    assert (await read(app_client, PAGE))["story"]["prompt"] is None
    prompt = "What would a four-day week mean for your family?  <i>Tell us</i>"
    res = await app_client.patch(
        settings, json={"prompt": prompt, "pinned_comment_id": staff_comment["id"]}, headers=ed
    )
    assert res.status_code == 200, res.text
    clean = "What would a four-day week mean for your family? <i>Tell us</i>"
    assert res.json()["prompt"] == clean
    assert res.json()["pinned_comment_id"] == staff_comment["id"]
    page = await read(app_client, PAGE)
    assert page["story"]["prompt"] == clean  # plain text: the widget sets it as text
    assert page["pinned"]["id"] == staff_comment["id"]
    assert page["pinned"]["author"]["badge"] == "staff"
    assert (await read(app_client, PAGE + "?stream=premium"))["pinned"] is None
    [entry] = (await read(app_client, f"{MOD}/audit?action=story.settings", headers=ed))["entries"]
    assert entry["after"]["prompt"] == clean

    # Only a published staff comment of this story can be pinned.
    for bad in (reader_comment["id"], 999999):
        res = await app_client.patch(settings, json={"pinned_comment_id": bad}, headers=ed)
        assert res.status_code == 422 and "pinned_comment_id" in res.text
    other = await post(app_client, ed, "Elsewhere.", story="another-story")
    res = await app_client.patch(settings, json={"pinned_comment_id": other["id"]}, headers=ed)
    assert res.status_code == 422
    res = await app_client.patch(settings, json={"prompt": "x" * 501}, headers=ed)
    assert res.status_code == 422
    res = await app_client.patch(settings, json={"prompt": 5}, headers=ed)
    assert res.status_code == 422
    res = await app_client.patch(settings, json={"prompt": None}, headers=ann)
    assert res.status_code == 403

    res = await app_client.patch(
        settings, json={"prompt": "   ", "pinned_comment_id": None}, headers=ed
    )
    assert res.json()["prompt"] is None and res.json()["pinned_comment_id"] is None
    page = await read(app_client, PAGE)
    assert page["story"]["prompt"] is None and page["pinned"] is None


async def test_best_order_weighs_likes_picks_staff_replies_and_reports_and_explains_itself(
    app_client,
):
    ed, _ = await staff(app_client)
    readers = [await sign_in(app_client, f"r{i}", name=f"Reader {i}") for i in range(5)]
    a = await post(app_client, readers[0], "Plain and unanswered.", story=STORY)
    b = await post(app_client, readers[0], "Liked by three.", story=STORY)
    c = await post(app_client, readers[0], "Picked by the desk.", story=STORY)
    for r in readers[1:4]:
        res = await app_client.put(f"/api/v1/comments/{b['id']}/like", headers=r)
        assert res.status_code == 200, res.text
    await app_client.post(f"{MOD}/comments/{c['id']}/feature", headers=ed)
    page = await read(app_client, PAGE + "?sort=best")
    assert [x["id"] for x in page["comments"]] == [c["id"], b["id"], a["id"]]
    why = {x["id"]: x["best"] for x in page["comments"]}
    assert why[c["id"]]["parts"]["pick"] == 5.0
    assert why[b["id"]]["likes"] == 3 and why[b["id"]]["parts"]["likes"] == pytest.approx(
        4.38, 0.01
    )
    assert why[a["id"]]["parts"] == {
        "base": 1.0,
        "likes": 0.0,
        "pick": 0.0,
        "staff_reply": 0.0,
        "reports": 0.0,
        "holds": 0.0,
    }
    assert all(w["decay"] <= 1 and w["score"] <= w["quality"] for w in why.values())
    # Other orders carry no explanation.
    assert "best" not in (await read(app_client, PAGE))["comments"][0]

    # A staff reply lifts A above B; a valid report pulls B down below A.
    await post(app_client, ed, "Thanks, we will look into it.", story=STORY, parent_id=a["id"])
    res = await app_client.post(
        f"/api/v1/comments/{b['id']}/reports", json={"reason": "spam"}, headers=readers[4]
    )
    assert res.status_code == 201, res.text
    page = await read(app_client, PAGE + "?sort=best")
    assert [x["id"] for x in page["comments"]] == [c["id"], a["id"], b["id"]]
    why = {x["id"]: x["best"] for x in page["comments"]}
    assert why[a["id"]]["parts"]["staff_reply"] == 3.0
    assert why[b["id"]]["parts"]["reports"] == -2.0 and why[b["id"]]["reports"] == 1


async def test_best_pages_stay_stable_while_comments_arrive(app_client):
    readers = [await sign_in(app_client, f"p{i}", name=f"Poster {i}") for i in range(3)]
    made = [
        await post(app_client, readers[i % 3], f"Comment number {i}.", story=STORY)
        for i in range(6)
    ]
    for i, m in enumerate(made[:3]):  # some likes, so the order is not just time
        liker = readers[(i + 1) % 3]
        assert (await app_client.put(f"/api/v1/comments/{m['id']}/like", headers=liker)).is_success
    whole = [x["id"] for x in (await read(app_client, PAGE + "?sort=best&limit=50"))["comments"]]
    assert sorted(whole) == sorted(m["id"] for m in made)
    seen: list[int] = []
    cursor = None
    while True:
        url = PAGE + "?sort=best&limit=2" + (f"&cursor={cursor}" if cursor else "")
        got = await read(app_client, url)
        seen.extend(x["id"] for x in got["comments"])
        await post(app_client, readers[0], f"Arrived while paging {len(seen)}.", story=STORY)
        cursor = got["next_cursor"]
        if not cursor:
            break
    originals = [i for i in seen if i in whole]
    assert originals == whole  # each once, in the order of the first read
    assert len(seen) == len(set(seen))
    res = await app_client.get(PAGE + "?sort=best&cursor=bm90LWEtY3Vyc29y")
    assert res.status_code == 422


async def test_likes_close_while_comments_stay_open(app_client):
    ed, _ = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    c = await post(app_client, ann, "Like me while you can.", story=STORY)
    like = f"/api/v1/comments/{c['id']}/like"
    assert (await app_client.put(like, headers=bo)).json()["like_count"] == 1
    res = await app_client.patch(f"{MOD}/stories/{STORY}", json={"likes_closed": True}, headers=ed)
    assert res.status_code == 200 and res.json()["likes_closed"] is True
    assert (await read(app_client, PAGE))["story"]["likes_closed"] is True
    for method in (app_client.put, app_client.delete):
        res = await method(like, headers=bo)
        assert res.status_code == 409, res.text
        assert res.json()["code"] == "likes-closed"
        assert res.headers["content-type"].startswith("application/problem+json")
    assert (await read(app_client, PAGE))["comments"][0]["like_count"] == 1
    await post(app_client, bo, "Comments are still open.", story=STORY)  # 201
    await app_client.patch(f"{MOD}/stories/{STORY}", json={"likes_closed": False}, headers=ed)
    assert (await app_client.delete(like, headers=bo)).json()["like_count"] == 0


async def test_the_unthreaded_view_lists_every_comment_in_time_order_naming_parents(app_client):
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    top = await post(app_client, ann, "Top.", story=STORY)
    reply = await post(app_client, bo, "Reply.", story=STORY, parent_id=top["id"])
    deeper = await post(app_client, ann, "Deeper.", story=STORY, parent_id=reply["id"])
    other = await post(app_client, bo, "Another top.", story=STORY)
    flat = await read(app_client, PAGE + "?view=flat&sort=oldest")
    assert [c["id"] for c in flat["comments"]] == [
        top["id"],
        reply["id"],
        deeper["id"],
        other["id"],
    ]
    assert all(c["replies"] == [] for c in flat["comments"])
    names = {c["id"]: c["in_reply_to"] for c in flat["comments"]}
    assert names == {
        top["id"]: None,
        reply["id"]: "Ann Reader",
        deeper["id"]: "Bo Brennan",
        other["id"]: None,
    }
    newest = await read(app_client, PAGE + "?view=flat&limit=2")
    assert [c["id"] for c in newest["comments"]] == [other["id"], deeper["id"]]
    rest = await read(app_client, PAGE + f"?view=flat&limit=2&cursor={newest['next_cursor']}")
    assert [c["id"] for c in rest["comments"]] == [reply["id"], top["id"]]
    threaded = await read(app_client, PAGE)
    assert [c["id"] for c in threaded["comments"]] == [other["id"], top["id"]]
    assert (await app_client.get(PAGE + "?view=sideways")).status_code == 422


async def test_q_and_a_answers_come_from_staff_or_experts_and_can_be_filtered(app_client):
    ed, _ = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    bo = await sign_in(app_client, "bo", name="Bo Brennan")
    vera = await sign_in(app_client, "vera", name="Vera Expert")
    vera_id = (await app_client.get("/api/v1/me", headers=vera)).json()["id"]
    q1 = await post(app_client, ann, "Will my pension change?", story=STORY)
    res = await app_client.patch(f"{MOD}/stories/{STORY}", json={"qa_mode": True}, headers=ed)
    assert res.status_code == 200, res.text
    q2 = await post(app_client, bo, "What about shift workers?", story=STORY)
    q3 = await post(app_client, ann, "Who decides?", story=STORY)
    # A reader's reply is no answer; an expert's is, once staff named them.
    for n in range(4):  # more reader replies than a page shows first
        await post(app_client, bo, f"I wonder too ({n}).", story=STORY, parent_id=q1["id"])
    await post(app_client, vera, "Not yet an expert.", story=STORY, parent_id=q2["id"])
    answered = await read(app_client, PAGE + "?answered=true")
    assert answered["comments"] == [] and answered["story"]["qa_mode"] is True
    assert (await app_client.put(f"{MOD}/users/{vera_id}/expert", headers=ann)).status_code == 403
    res = await app_client.put(f"{MOD}/users/{vera_id}/expert", headers=ed)
    assert res.status_code == 200 and res.json()["is_expert"] is True
    [entry] = (await read(app_client, f"{MOD}/audit?action=user.expert", headers=ed))["entries"]
    assert entry["after"] == {"is_expert": True}
    await post(app_client, vera, "It does not change.", story=STORY, parent_id=q1["id"])
    await post(app_client, ed, "Employers and unions.", story=STORY, parent_id=q3["id"])
    answered = await read(app_client, PAGE + "?answered=true")
    assert [c["id"] for c in answered["comments"]] == [q3["id"], q1["id"]]
    assert all(c["answered"] for c in answered["comments"])
    by_id = {c["id"]: c for c in answered["comments"]}
    # Shown with its answer, not with the readers' replies that came first.
    assert [r["author"]["name"] for r in by_id[q1["id"]]["replies"]] == ["Vera Expert"]
    assert by_id[q1["id"]]["replies"][0]["author"]["badge"] == "expert"
    assert by_id[q1["id"]]["reply_count"] == 5
    everything = await read(app_client, PAGE)
    assert {c["id"]: c["answered"] for c in everything["comments"]}[q2["id"]] is False
    res = await app_client.delete(f"{MOD}/users/{vera_id}/expert", headers=ed)
    assert res.json()["is_expert"] is False
    page = await read(app_client, PAGE + "?answered=true")
    assert {r["author"]["badge"] for r in page["comments"][1]["replies"]} <= {None, "staff"}


async def test_a_new_pick_says_what_its_author_is_to_be_told(app_client):
    from townhall.domain.changes import CommentPicked
    from townhall.services.editorial import notify_author_of_pick

    ed, ed_id = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    c = await post(app_client, ann, "Worth a pick.", story=STORY)
    mine = await post(app_client, ed, "Staff's own.", story=STORY)
    res = await app_client.post(
        f"{MOD}/comments/{c['id']}/feature", json={"note": "Kind"}, headers=ed
    )
    assert res.status_code == 200
    async with app_client.ctx.read() as tx:
        story = await tx.stories.by_key("default", STORY)
        picked = await tx.comments.by_id("default", c["id"])
        own = await tx.comments.by_id("default", mine["id"])
    notice = notify_author_of_pick(CommentPicked(story, picked, featured=True, picked_by=ed_id))
    assert notice is not None
    assert notice["user_id"] == picked.author_id and notice["comment_id"] == c["id"]
    assert notice["story_id"] == STORY and notice["note"] == "Kind"
    assert notify_author_of_pick(CommentPicked(story, picked, featured=False)) is None
    assert notify_author_of_pick(CommentPicked(story, own, featured=True, picked_by=ed_id)) is None


async def _pick_count(client) -> int:
    async with client.ctx.read() as tx:
        story = await tx.stories.by_key("default", STORY)
    assert story is not None
    return story.pick_count


async def test_the_story_counts_its_standing_picks_and_the_first_page_follows_it(app_client):
    ed, _ = await staff(app_client)
    ann = await sign_in(app_client, "ann", name="Ann Reader")
    one = await post(app_client, ann, "Worth reading.", story=STORY)
    two = await post(app_client, ann, "Also worth reading.", story=STORY)
    assert await _pick_count(app_client) == 0 and (await read(app_client, PAGE))["featured"] == []

    for c in (one, two, one):  # picking again (a new note) is not a second pick
        await app_client.post(f"{MOD}/comments/{c['id']}/feature", headers=ed)
    assert await _pick_count(app_client) == 2
    assert [p["id"] for p in (await read(app_client, PAGE))["featured"]] == [two["id"], one["id"]]

    for _ in range(2):  # taking a pick back twice counts once
        await app_client.delete(f"{MOD}/comments/{two['id']}/feature", headers=ed)
    assert await _pick_count(app_client) == 1
    assert [p["id"] for p in (await read(app_client, PAGE))["featured"]] == [one["id"]]

    # A picked comment its author deletes still counts, and no longer shows.
    assert (await app_client.delete(f"/api/v1/comments/{one['id']}", headers=ann)).status_code in (
        200,
        204,
    )
    assert await _pick_count(app_client) == 1
    assert (await read(app_client, PAGE))["featured"] == []
