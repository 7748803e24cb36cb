"""What a reader sees and is told: feedback, reasons, holds, focus, states, time and density."""

from __future__ import annotations

import colorsys
import json
import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.e2e.widget_helpers import (
    add_widget,
    comment_by_text,
    moderate,
    open_demo,
    post_comment,
    sso_session,
    unique,
    use_session,
)

pytestmark = pytest.mark.browser


def _problem(route: Route, status: int, code: str, detail: str) -> None:
    body = {"type": f"/problems/{code}", "title": detail, "status": status, "detail": detail}
    route.fulfill(
        status=status,
        content_type="application/problem+json",
        body=json.dumps({**body, "code": code}),
    )


def test_share_post_like_report_and_delete_give_visible_feedback_and_so_do_failures(
    page: Page, live_server: str
) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    other = sso_session(live_server, name=unique("Oth"))
    target = f"Something to like and report. {unique()}"
    post_comment(live_server, other["token"], target)
    use_session(page, live_server, sso_session(live_server, name=unique("Fbk")))
    w = open_demo(page, live_server)
    toast = w.get_by_role("status")
    theirs = comment_by_text(w, target)

    def shown(text: str, kind: str = "ok") -> None:
        expect(toast).to_have_text(text)
        expect(toast).to_be_visible()
        expect(toast).to_be_in_viewport()
        expect(toast).to_have_attribute("data-kind", kind)

    theirs.get_by_role("button", name=re.compile("^Share comment by")).click()
    shown("Link copied")
    theirs.get_by_role("button", name=re.compile("^Like comment by")).click()
    shown("Liked")

    body = f"Feedback you can see. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    shown("Your comment has been posted")

    theirs.get_by_role("button", name=re.compile("^Report comment by")).click()
    dialog = page.get_by_role("dialog", name="Report Comment")
    dialog.get_by_role("radio").first.check()
    dialog.get_by_role("button", name="Report", exact=True).click()
    shown("Thank you! We've received your report.")

    page.route(re.compile(r"/like$"), lambda r: _problem(r, 500, "internal", "boom"))
    theirs.get_by_role("button", name=re.compile("^Like comment by")).click()
    shown("That did not work. Try again.", "error")

    page.route(re.compile(r"/api/v1/comments/\d+$"), lambda r: r.abort())
    mine = comment_by_text(w, body)
    mine.get_by_role("button", name="Delete your comment").click()
    page.get_by_role("dialog", name="Delete Comment").get_by_role(
        "button", name="Delete", exact=True
    ).click()
    shown("Your comment was not deleted. Try again.", "error")
    page.unroute(re.compile(r"/api/v1/comments/\d+$"))
    mine.get_by_role("button", name="Delete your comment").click()
    page.get_by_role("dialog", name="Delete Comment").get_by_role(
        "button", name="Delete", exact=True
    ).click()
    shown("Your comment has been deleted")

    second = sso_session(live_server, name=unique("Two"))
    other_target = f"Another one to report. {unique()}"
    post_comment(live_server, second["token"], other_target)
    page.route(re.compile(r"/reports$"), lambda r: r.abort())
    page.reload()
    w = open_demo(page, live_server)
    comment_by_text(w, other_target).get_by_role(
        "button", name=re.compile("^Report comment by")
    ).click()
    dialog = page.get_by_role("dialog", name="Report Comment")
    dialog.get_by_role("radio").first.check()
    dialog.get_by_role("button", name="Report", exact=True).click()
    toast = w.get_by_role("status")
    shown("Your report was not sent. Try again.", "error")


def test_the_report_dialog_chooses_no_reason_until_the_reader_does(
    page: Page, live_server: str
) -> None:
    author = sso_session(live_server, name=unique("Rsn"))
    body = f"A comment someone will report. {unique()}"
    post_comment(live_server, author["token"], body)
    use_session(page, live_server, sso_session(live_server, name=unique("Flg")))
    sent: list[dict] = []
    page.on(
        "request",
        lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/reports") else None,
    )
    w = open_demo(page, live_server)
    comment_by_text(w, body).get_by_role("button", name=re.compile("^Report comment by")).click()
    dialog = page.get_by_role("dialog", name="Report Comment")
    radios = dialog.get_by_role("radio")
    assert radios.count() >= 7
    for i in range(radios.count()):
        expect(radios.nth(i)).not_to_be_checked()
    dialog.get_by_role("button", name="Report", exact=True).click()
    expect(dialog.get_by_role("alert")).to_have_text("Choose a reason for your report.")
    expect(dialog).to_be_visible()
    assert sent == []
    dialog.get_by_role("radio", name="Spam or advertising").check()
    dialog.get_by_role("button", name="Report", exact=True).click()
    expect(dialog).to_have_count(0)
    expect(comment_by_text(w, body).get_by_role("button", name="Reported")).to_be_visible()
    assert [s["reason"] for s in sent] == ["spam"]


def test_a_held_comment_tells_its_author_why_and_what_they_can_change(
    page: Page, live_server: str
) -> None:
    story = unique("held-")
    first = sso_session(live_server, name=unique("Opn"))
    post_comment(live_server, first["token"], f"Opening the thread. {unique()}", story=story)
    moderate(live_server, "PATCH", f"/stories/{story}", {"premoderate": True})
    use_session(page, live_server, sso_session(live_server, name=unique("Hld")))
    open_demo(page, live_server)
    w = add_widget(page, story)

    # A pre-moderated story: the server names the guideline ("trust"); nothing to change.
    body = f"Waiting my turn. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    note = comment_by_text(w, body).locator(".note")
    expect(note).to_contain_text("Your comment is awaiting review")
    expect(note).to_contain_text("Comments here are read by a moderator before they appear.")

    # Held for a guideline the author can do something about; the server's reason (with the
    # matched words) never shows, a suggestion does when the server sends one.
    def held_for_abuse(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        response = route.fetch()
        data = response.json()
        data["moderation"] = {
            "guideline": "abuse",
            "reason": 'personal insult: "utter idiot"',
            "findings": [{"guideline": "abuse", "suggestion": "Say what you disagree with."}],
        }
        route.fulfill(response=response, json=data)

    page.route(re.compile(r"/api/v1/stories/[^/]+/comments$"), held_for_abuse)
    second = f"Another try. {unique()}"
    w.get_by_label("Add your comment").fill(second)
    w.get_by_role("button", name="Post comment").click()
    note = comment_by_text(w, second).locator(".note")
    expect(note).to_contain_text("personal abuse or a threat")
    expect(note).to_contain_text("Say what you disagree with.")
    expect(note).to_contain_text(re.compile(r"You can edit it for (9|10) more minutes\."))
    expect(note).not_to_contain_text("idiot")
    expect(
        comment_by_text(w, second).get_by_role("button", name="Edit your comment")
    ).to_be_visible()


def test_focus_rings_are_not_clipped_and_a_new_comment_is_scrolled_into_view(
    page: Page, live_server: str
) -> None:
    page.set_viewport_size({"width": 375, "height": 640})
    use_session(page, live_server, sso_session(live_server, name=unique("Foc")))
    w = open_demo(page, live_server)
    box = w.get_by_label("Add your comment")
    box.focus()
    ring = w.evaluate(
        """host => {
            const ta = host.shadowRoot.querySelector('.composer textarea');
            const cs = getComputedStyle(ta), hs = getComputedStyle(host);
            const grow = parseFloat(cs.outlineOffset) + parseFloat(cs.outlineWidth);
            const r = ta.getBoundingClientRect(), h = host.getBoundingClientRect();
            return {style: cs.outlineStyle, grow,
                    clips: /paint|content|strict/.test(hs.contain) || hs.overflow !== 'visible',
                    inside: r.left - grow >= h.left && r.right + grow <= h.right};
        }"""
    )
    assert ring["style"] != "none" and ring["grow"] > 0
    assert not ring["clips"] or ring["inside"], ring
    # The composer sits at the bottom of the screen: the new comment appears below it.
    box.evaluate("el => el.scrollIntoView({block: 'end'})")
    body = f"Posted from the bottom of the screen. {unique()}"
    box.fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    expect(mine).to_be_focused()
    expect(mine).to_be_in_viewport()


@pytest.mark.parametrize("status", ["banned", "suspended"])
def test_banned_and_suspended_readers_can_sign_out_and_cannot_edit(
    page: Page, live_server: str, status: str
) -> None:
    reader = sso_session(live_server, name=unique("Std"))
    body = f"Said before the enforcement. {unique()}"
    post_comment(live_server, reader["token"], body)
    path = f"/users/{reader['user']['id']}/" + ("ban" if status == "banned" else "suspend")
    moderate(live_server, "POST", path, {"reason": "t"} if status == "banned" else {"hours": 24})
    use_session(page, live_server, reader)
    w = open_demo(page, live_server)
    banner = w.locator(".banner")
    expect(banner).to_contain_text(
        "banned from commenting" if status == "banned" else "temporarily suspended"
    )
    mine = comment_by_text(w, body)
    expect(mine.get_by_role("button", name="Delete your comment")).to_be_visible()
    expect(mine.get_by_role("button", name="Edit your comment")).to_have_count(0)
    banner.get_by_role("button", name="Sign out").click()
    expect(w.get_by_text("Sign in and Join the Conversation", exact=True)).to_be_visible()


def test_server_problems_are_shown_as_readable_messages(page: Page, live_server: str) -> None:
    author = sso_session(live_server, name=unique("Prb"))
    body = f"Like me if you can. {unique()}"
    post_comment(live_server, author["token"], body)
    use_session(page, live_server, sso_session(live_server, name=unique("Lkr")))
    answers = [
        (403, "banned", "user is banned"),
        (403, "suspended", "user is suspended until later"),
        (418, "teapot", "short and stout"),
    ]
    page.route(re.compile(r"/like$"), lambda r: _problem(r, *answers.pop(0)))
    w = open_demo(page, live_server)
    like = comment_by_text(w, body).get_by_role("button", name=re.compile("^Like comment by"))
    toast = w.get_by_role("status")
    for expected in (
        "Your account has been banned from commenting.",
        "Your account has been temporarily suspended from commenting.",
        "That did not work. Try again.",
    ):
        like.click()
        expect(toast).to_have_text(expected)


def test_relative_times_and_the_edit_countdown_tick_while_the_page_is_open(
    page: Page, live_server: str
) -> None:
    page.clock.install()
    me = sso_session(live_server, name=unique("Tik"))
    use_session(page, live_server, me)
    w = open_demo(page, live_server)
    body = f"Watch the clock. {unique()}"
    w.get_by_label("Add your comment").fill(body)
    w.get_by_role("button", name="Post comment").click()
    mine = comment_by_text(w, body)
    when = mine.locator("time")
    expect(when).to_have_text("just now")
    mine.get_by_role("button", name="Edit your comment").click()
    hint = mine.locator(".reply-box .hint")
    expect(hint).to_have_text("Edit: 10 minutes remaining")
    page.clock.fast_forward(50_000)
    expect(when).to_have_text("1 minute ago")
    expect(hint).to_have_text("Edit: 10 minutes remaining")
    page.clock.fast_forward("04:00")
    expect(when).to_have_text("5 minutes ago")
    expect(hint).to_have_text("Edit: 6 minutes remaining")
    mine.get_by_role("button", name="Cancel").click()
    page.clock.fast_forward("06:00")
    expect(when).to_have_text("11 minutes ago")
    expect(mine.get_by_role("button", name="Edit your comment")).to_have_count(0)


def test_a_one_line_comment_is_compact_and_its_actions_fit_one_line_at_320px(
    page: Page, live_server: str
) -> None:
    author = sso_session(live_server, name=unique("Dns"))
    short = post_comment(live_server, author["token"], f"Short and sweet. {unique()}")
    w = open_demo(page, live_server)
    li = w.locator(f"#comment-{short['id']}")
    height = li.bounding_box()["height"]
    assert height <= 100, f"a one-line comment is {height}px tall at 1280px"

    page.set_viewport_size({"width": 320, "height": 640})
    expect(li).to_be_visible()
    for row in w.locator("ol.list > li > article .actions").all()[:10]:
        tops = row.locator("button, .likes").evaluate_all(
            "els => els.map(e => Math.round(e.getBoundingClientRect().top + "
            "e.getBoundingClientRect().height / 2))"
        )
        assert tops and max(tops) - min(tops) <= 2, f"the action row wraps: {tops}"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def _rgb(css: str) -> tuple[int, int, int]:
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


def _luminance(rgb: tuple[int, int, int]) -> float:
    def lin(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _hue(rgb: tuple[int, int, int]) -> float:
    return colorsys.rgb_to_hls(*(c / 255 for c in rgb))[0] * 360


def test_the_dark_accent_keeps_the_brand_hue_and_aa_contrast(page: Page, live_server: str) -> None:
    colours = """host => {
        const b = host.shadowRoot.querySelector('.signin .primary');
        const s = host.shadowRoot.querySelector('section');
        const rules = host.shadowRoot.querySelector('.rules');
        return {accent: getComputedStyle(b).backgroundColor, on: getComputedStyle(b).color,
                bg: getComputedStyle(s).backgroundColor,
                surface: getComputedStyle(rules).backgroundColor};
    }"""
    w = open_demo(page, live_server)
    light = {k: _rgb(v) for k, v in w.evaluate(colours).items()}
    page.emulate_media(color_scheme="dark")
    dark = {k: _rgb(v) for k, v in w.evaluate(colours).items()}
    assert dark["bg"] != light["bg"]
    gap = abs(_hue(dark["accent"]) - _hue(light["accent"]))
    assert min(gap, 360 - gap) <= 5, (light["accent"], dark["accent"])
    saturation = colorsys.rgb_to_hls(*(c / 255 for c in dark["accent"]))[2]
    assert saturation >= 0.8, "a vivid accent, not a washed-out pink"
    for scheme in (light, dark):
        assert _contrast(scheme["accent"], scheme["bg"]) >= 4.5, scheme
        assert _contrast(scheme["accent"], scheme["surface"]) >= 4.5, scheme
        assert _contrast(scheme["accent"], scheme["on"]) >= 4.5, scheme
