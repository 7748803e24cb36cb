"""Whatever a commenter writes is shown as text and never runs in the reader's browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.widget_helpers import open_demo, post_comment, sso_session, unique, use_session

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned = 'img'\">",
    "<a href=\"javascript:window.__pwned='link'\">click me</a>",
    "<svg onload=\"window.__pwned = 'svg'\"><circle r=5></circle></svg>",
    "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe>",
    "\"><script>window.__pwned = 'attr'</script>",
    "<details open ontoggle=\"window.__pwned='details'\">x</details>",
    "<style>*{display:none}</style><b onmouseover=alert(1)>bold</b>",
    "javascript:window.__pwned='bare'",
    "\u202e<script>window.__pwned='rtl'</script>\u200b",
    "<scr<script>ipt>window.__pwned='nested'</scr</script>ipt>",
]


def test_xss_payloads_render_as_text_and_never_execute(page: Page, live_server: str) -> None:
    author = sso_session(live_server, name=unique("Xss"))
    marker = unique("xss")
    bodies = [f"{marker}-{i}: {p}" for i, p in enumerate(PAYLOADS)]
    for body in bodies:
        post_comment(live_server, author["token"], body)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    use_session(page, live_server, sso_session(live_server, name=unique("Rdr")))
    w = open_demo(page, live_server)
    for i in range(len(PAYLOADS)):
        expect(w.locator(".body", has_text=f"{marker}-{i}:")).to_have_count(1)
    shown = w.locator(".body", has_text=marker)
    texts = shown.all_inner_texts()
    assert any("<script>" in t for t in texts), "markup is visible as text"
    assert any("onerror" in t for t in texts)
    for link in shown.locator("a").all():
        href = link.get_attribute("href") or ""
        assert href.startswith(("http://", "https://")), href
    bad = w.evaluate(
        """el => [...el.shadowRoot.querySelectorAll('.body *')].filter(n =>
            ['SCRIPT', 'IMG', 'SVG', 'IFRAME', 'STYLE', 'DETAILS', 'svg'].includes(n.tagName) ||
            [...n.attributes].some(a => a.name.startsWith('on') || a.name === 'style')
        ).map(n => n.outerHTML)"""
    )
    assert bad == []
    shown.first.hover()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined")
    assert dialogs == []
    assert page.locator(".body p").first.is_visible(), "the article is untouched"
