"""A story's first page as an HTML fragment: comments for readers without JavaScript,
search engines, AMP pages and reader modes.

It is drawn from the very JSON page the API answers (`services/reading.py`), so it shows
the same comments: the pinned staff comment and the picks first, then the first page in
the default order with each thread's first replies. Bodies are the API's `body_html`,
already sanitized by `render.py`; every other text a person wrote (names, notes, the
prompt) is escaped here. No script, no style, no event attribute: a CMS includes it
inside `<townhall-comments>` and the widget, when it runs, draws over it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import Any

from townhall import i18n

BADGES = ("staff", "expert", "subscriber")


class Words:
    """The fragment's fixed texts in one language, the publisher's overrides first."""

    def __init__(self, code: str, overrides: dict[str, Any] | None) -> None:
        self.code = i18n.supported(code) or i18n.REFERENCE
        self.overrides = {"widget": overrides} if overrides else None

    def __call__(self, key: str, **values: Any) -> str:
        """A message with its {placeholders} filled (escaped by the caller)."""
        text = i18n.message("widget", self.code, key, self.overrides)
        if isinstance(text, dict):
            text = text.get("other", "")
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    @property
    def dir(self) -> str:
        """The language's writing direction."""
        return i18n.LANGUAGES[self.code].dir


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def _when(iso: str | None) -> str:
    """A time every language reads the same way: 2026-12-01 09:30 UTC."""
    if not iso:
        return ""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return f'<time datetime="{_e(iso)}">{when:%Y-%m-%d %H:%M} UTC</time>'


def _comment(c: dict[str, Any], t: Words, *, story: dict[str, Any], anchored: bool) -> str:
    """One comment (with its replies, when `anchored`: in the list, not in a side block)."""
    ident = f' id="comment-{int(c["id"])}"' if anchored else ""
    if c.get("deleted") or c.get("author") is None:
        inner = f'<p class="townhall-tombstone">{_e(t("deleted"))}</p>'
    else:
        author = c["author"]
        name = author.get("name") or t("anonymous")
        tags = []
        if author.get("badge") in BADGES:
            tags.append(_badge(t(f"badge.{author['badge']}")))
        if c.get("featured"):
            tags.append(_badge(t("picks.badge")))
        if c.get("answered") and story.get("qa_mode"):
            tags.append(_badge(t("qa.answered")))
        edited = f' <span class="townhall-edited">{_e(t("edited"))}</span>' if c["edited"] else ""
        meta = (
            f'<p class="townhall-meta"><strong class="townhall-name" dir="auto">{_e(name)}'
            f"</strong> {' '.join(tags)} {_when(c.get('created_at'))}{edited}</p>"
        )
        note = ""
        if c.get("featured") and c.get("feature_note"):
            note = (
                f'<p class="townhall-pick-note"><strong>{_e(t("picks.why"))}</strong> '
                f'<span dir="auto">{_e(c["feature_note"])}</span></p>'
            )
        inner = f'{meta}{note}<div class="townhall-body" dir="auto">{c["body_html"]}</div>'
    replies = ""
    if anchored and c.get("replies"):
        items = "".join(_comment(r, t, story=story, anchored=True) for r in c["replies"])
        replies = f'<ol class="townhall-replies">{items}</ol>'
    return f'<li{ident} class="townhall-comment"><article>{inner}</article>{replies}</li>'


def _badge(text: str) -> str:
    return f'<span class="townhall-badge">{_e(text)}</span>'


def _block(css: str, label: str, comments: Iterable[dict[str, Any]], t, story) -> str:
    items = "".join(_comment(c, t, story=story, anchored=False) for c in comments)
    if not items:
        return ""
    return (
        f'<section class="{css}" aria-label="{_e(label)}"><h3>{_e(label)}</h3>'
        f"<ol>{items}</ol></section>"
    )


def render_fragment(page: dict[str, Any], *, language: str | None, nosnippet: bool) -> str:
    """The first page of a story as an HTML fragment (see the module's docstring)."""
    site, story = page["site"], page["story"]
    t = Words(language or site.get("language") or i18n.REFERENCE, site.get("messages"))
    heading = site.get("heading") or t("heading")
    intro = story.get("prompt") or site.get("call_to_action") or t("intro")
    total = page["total"]
    attrs = f'class="townhall-static" data-townhall-static="" lang="{_e(t.code)}" dir="{t.dir}"'
    if nosnippet:
        # Search engines index the comments but quote none of them in results.
        attrs += " data-nosnippet"
    pinned = page.get("pinned")
    parts = [
        f"<section {attrs}>",
        f"<h2>{_e(heading)} {_e(t('count', count=total))}</h2>",
        f'<p class="townhall-intro">{_e(intro)}</p>',
        _block("townhall-pinned", t("pinned.label"), [pinned] if pinned else [], t, story),
        _block("townhall-picks", t("picks.heading"), page.get("featured") or [], t, story),
    ]
    if page["comments"]:
        items = "".join(_comment(c, t, story=story, anchored=True) for c in page["comments"])
        parts.append(f'<ol class="townhall-comments">{items}</ol>')
    else:
        parts.append(f'<p class="townhall-empty">{_e(t("empty"))}</p>')
    parts.append("</section>")
    return "".join(parts)
