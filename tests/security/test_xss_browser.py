"""Hostile text posted through the API never runs in the widget or in the dashboard."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import (
    DEMO_PASSWORD,
    MODERATOR,
    STORY,
    login,
    open_demo,
    sso_session,
    unique,
    use_session,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Every payload tries to set window.__xss; the detector also catches dialogs.
PAYLOADS = [
    "<script>window.__xss='script'</script>",
    "<img src=x onerror=\"window.__xss='img'\">",
    "<svg onload=\"window.__xss='svg'\"></svg>",
    "<svg><script>window.__xss='svg-script'</script></svg>",
    "<iframe srcdoc=\"<script>parent.__xss='srcdoc'</script>\"></iframe>",
    "<iframe src=\"javascript:parent.__xss='iframe'\"></iframe>",
    "<a href=\"javascript:window.__xss='link'\">click</a>",
    "<a href=\"jav&#x09;ascript:window.__xss='tab'\">tab</a>",
    "<a href=\"data:text/html,<script>parent.__xss='data'</script>\">data</a>",
    "<input autofocus onfocus=\"window.__xss='focus'\">",
    "<details open ontoggle=\"window.__xss='toggle'\">x</details>",
    "<body onload=\"window.__xss='body'\">",
    "<object data=\"javascript:window.__xss='object'\"></object>",
    "<embed src=\"javascript:window.__xss='embed'\">",
    "<form><button formaction=\"javascript:window.__xss='form'\">go</button></form>",
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=\'meta\'">',
    "<base href=\"javascript:window.__xss='base'//\">",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss='mxss'>\">",
    "<math><mi><mglyph><style><img src=x onerror=window.__xss='math'>",
    "<style>@import 'javascript:window.__xss=1';</style><b style=\"x:expression(alert(1))\">b</b>",
    "\"><script>window.__xss='attr'</script>",
    "'-alert(1)-'",
    "{{constructor.constructor('window.__xss=\"tpl\"')()}}",
    "${window.__xss='literal'}",
    "[click](javascript:window.__xss='md')",
    "https://a.example/\"><img src=x onerror=window.__xss='url'>",
    "www.a.example/'onmouseover='window.__xss=\"www\"'",
    "https://a.example/<script>window.__xss='path'</script>",
    "&lt;script&gt;window.__xss='entities'&lt;/script&gt;",
    "<scr<script>ipt>window.__xss='nested'</scr</script>ipt>",
    "\u202e<script>window.__xss='rtl'</script>\u200b",
    "<img src=x onerror=&#x77;indow.__xss='hexent'>",
]
DETECTOR = """
window.__xss = undefined;
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  window[name] = (...args) => { window.__xss = name + ':' + args.join(' '); };
}
"""


def _guard(page: Page, base: str) -> list[str]:
    """Install the detector; collect dialogs and any request leaving the test server."""
    page.add_init_script(DETECTOR)
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
    page.on(
        "request",
        lambda r: None if r.url.startswith((base, "data:", "about:")) else events.append(r.url),
    )
    return events


def _no_script_ran(page: Page, events: list[str]) -> None:
    page.wait_for_timeout(500)
    assert page.evaluate("window.__xss") is None
    assert events == []
    hrefs = page.evaluate(
        """() => {
          const out = [];
          const walk = root => root.querySelectorAll('*').forEach(el => {
            if (el.shadowRoot) walk(el.shadowRoot);
            for (const a of ['href', 'src', 'action', 'formaction', 'data']) {
              const v = el.getAttribute && el.getAttribute(a);
              if (v) out.push(v);
            }
          });
          walk(document);
          return out;
        }"""
    )
    bad = [
        h
        for h in hrefs
        if h.strip().lower().startswith(("javascript:", "vbscript:", "data:text", "data:image/svg"))
    ]
    assert bad == []


def _post(base: str, token: str, body: str, story: str = STORY, **extra) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/stories/{story}/comments",
        json={"body": body, **extra},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )


def test_payloads_never_run_in_the_widget(page: Page, live_server: str) -> None:
    base = live_server
    author = sso_session(base, name=unique("Xs"))
    marker = unique("xw")
    shown = 0
    for i, payload in enumerate(PAYLOADS):
        res = _post(base, author["token"], f"{marker} {i} {payload}")
        assert res.status_code in (201, 422), res.text
        shown += res.status_code == 201 and res.json()["status"] == "published"
    assert shown >= len(PAYLOADS) * 3 // 4, "most payloads must actually be on the page"
    events = _guard(page, base)
    use_session(page, base, sso_session(base, name=unique("Rd")))
    w = open_demo(page, base)
    expect(w.locator(".body", has_text=marker).first).to_be_visible()
    bodies = w.locator(".body", has_text=marker)
    for i in range(bodies.count()):
        bodies.nth(i).hover()
    _no_script_ran(page, events)


def test_payloads_never_run_in_the_dashboard(page: Page, live_server: str) -> None:
    base = live_server
    mod = {"Authorization": f"Bearer {login(base, MODERATOR)['token']}"}
    desk = unique("xss-desk-")
    author = sso_session(base, name=unique("Xd"))
    first = _post(base, author["token"], "Opening remarks for the desk.", story=desk)
    assert first.status_code == 201, first.text
    res = httpx.patch(
        f"{base}/api/v1/moderation/stories/{desk}", json={"premoderate": True}, headers=mod
    )
    assert res.status_code == 200, res.text
    for i, payload in enumerate(PAYLOADS[:12]):
        res = _post(
            base,
            author["token"],
            f"held {i} {payload}",
            story=desk,
            story_title=payload,
            story_url="javascript:window.__xss='story_url'",
        )
        assert res.status_code in (201, 422), res.text
    target = _post(base, author["token"], f"Reported remark {unique()}").json()["id"]
    for payload in PAYLOADS[:3]:  # the third report hides it for review
        reporter = sso_session(base, name=unique("Rp"))
        res = httpx.post(
            f"{base}/api/v1/comments/{target}/reports",
            json={"reason": "abuse", "note": payload},
            headers={"Authorization": f"Bearer {reporter['token']}"},
        )
        assert res.status_code == 201, res.text
    events = _guard(page, base)
    page.goto(f"{base}/admin")
    page.get_by_label("Email address").fill(MODERATOR)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("navigation", name="Dashboard sections")).to_be_visible()
    for view in ("#/queue/pending", "#/queue/reported", "#/queue/all", "#/stories", "#/audit"):
        page.goto(f"{base}/admin{view}")
        page.wait_for_load_state("networkidle")
        if view == "#/queue/pending":
            expect(page.locator(".body", has_text="held 1 ").first).to_be_visible()
            assert page.get_by_text("onerror", exact=False).count() > 0, "payloads shown as text"
        for card in page.locator(".body").all()[:20]:
            card.hover()
    page.goto(f"{base}/admin#/stories/{desk}")
    page.wait_for_load_state("networkidle")
    _no_script_ran(page, events)
