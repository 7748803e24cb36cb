"""Write a Disqus XML export of N comments, in the shape Disqus writes it, for the import
benchmark (`make bench-import`).

Threads come first, then posts in the order they were written; about a third of the posts
are replies (to a post of the same thread, never a later one), a few are deleted or spam,
and some authors left no e-mail address. The text is varied English from a fixed seed, so
two runs write the same file.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

WORDS = (
    "council budget bridge library school tram rail fares housing clinic river park "
    "market harbour police plan vote mayor residents road works summer winter trial "
    "week evening report figures cost delay funding committee hearing decision board "
    "teachers parents nurses drivers cyclists shops traders neighbours visitors"
).split()
OPENERS = [
    "I think",
    "Honestly,",
    "As someone who lives nearby,",
    "Good to see that",
    "Not sure that",
    "Interesting point:",
    "Worth remembering that",
    "Frankly,",
]


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(6, 14))
    return f"{rng.choice(OPENERS)} the {' '.join(words)}."


def message(rng: random.Random) -> str:
    paragraphs = [
        " ".join(sentence(rng) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(1, 3))
    ]
    html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    if rng.random() < 0.05:
        html += '<p><a href="https://example.org/source">source</a> &amp; more</p>'
    return html


def write(path: Path, comments: int, *, threads: int, authors: int, seed: int) -> None:
    rng = random.Random(seed)
    start = datetime(2018, 1, 1, tzinfo=UTC)
    people = [(f"Reader {n}", f"reader{n}@example.org" if n % 5 else None) for n in range(authors)]
    by_thread: dict[int, list[int]] = {}
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n')
        out.write(
            '<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        )
        out.write(
            '<category dsq:id="1"><forum>benchledger</forum><title>General</title>'
            "<isDefault>true</isDefault></category>\n"
        )
        for t in range(threads):
            when = start + timedelta(hours=t * 6)
            out.write(
                f'<thread dsq:id="{7000000 + t}"><id>story-{t}</id><forum>benchledger</forum>'
                f'<category dsq:id="1"/><link>https://news.example/2018/story-{t}</link>'
                f"<title>Story number {t}</title><message/><createdAt>"
                f"{when:%Y-%m-%dT%H:%M:%SZ}</createdAt><author><name>Newsroom</name>"
                "<isAnonymous>false</isAnonymous></author><isClosed>false</isClosed>"
                "<isDeleted>false</isDeleted></thread>\n"
            )
        for n in range(comments):
            t = rng.randrange(threads)
            post_id = 9000000 + n
            siblings = by_thread.setdefault(t, [])
            parent = rng.choice(siblings) if siblings and rng.random() < 0.35 else None
            siblings.append(post_id)
            name, email = people[rng.randrange(authors)]
            when = start + timedelta(seconds=n * 40)
            roll = rng.random()
            deleted = "true" if roll < 0.01 else "false"
            spam = "true" if 0.01 <= roll < 0.02 else "false"
            mail = f"<email>{email}</email>" if email else ""
            out.write(
                f'<post dsq:id="{post_id}"><id/><message><![CDATA[{message(rng)}]]></message>'
                f"<createdAt>{when:%Y-%m-%dT%H:%M:%SZ}</createdAt>"
                f"<isDeleted>{deleted}</isDeleted><isSpam>{spam}</isSpam>"
                f"<author>{mail}<name>{name}</name><isAnonymous>{'false' if email else 'true'}"
                f"</isAnonymous></author>"
                f'<thread dsq:id="{7000000 + t}"/>'
                + (f'<parent dsq:id="{parent}"/>' if parent else "")
                + "</post>\n"
            )
        out.write("</disqus>\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("path", type=Path)
    ap.add_argument("--comments", type=int, default=200_000)
    ap.add_argument("--threads", type=int, default=2_000)
    ap.add_argument("--authors", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    write(args.path, args.comments, threads=args.threads, authors=args.authors, seed=args.seed)


if __name__ == "__main__":
    main()
