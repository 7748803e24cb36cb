"""What a first page view loads of the widget stays small: one script, under 30 KB gzipped."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "src" / "townhall" / "web"
STATIC = WEB / "static"
SOURCES = WEB / "widget"
BUDGET = 30 * 1024


def test_the_embed_script_is_the_only_file_a_reader_loads() -> None:
    # Styles are inside the script and every module is bundled into it (the browser test
    # test_a_first_view_fetches_one_script checks the same from the network side).
    assert sorted(p.name for p in STATIC.iterdir()) == ["embed.js"]
    bundle = (STATIC / "embed.js").read_text(encoding="utf-8")
    assert "import(" not in bundle and not re.search(r"\bimport\s*[{*\"']", bundle)


def test_the_embed_script_fits_the_gzip_budget() -> None:
    size = len(gzip.compress((STATIC / "embed.js").read_bytes(), compresslevel=6))
    assert size < BUDGET, f"embed.js is {size} bytes gzipped, budget {BUDGET}"


def test_widget_uses_no_eval_or_inline_handlers() -> None:
    for path in [STATIC / "embed.js", *sorted(SOURCES.glob("*.js"))]:
        text = path.read_text(encoding="utf-8")
        assert "eval(" not in text, path.name
        assert "new Function" not in text, path.name
        assert "document.write" not in text, path.name
        assert "setAttribute('on" not in text, path.name
        if path.parent == SOURCES:
            # Markup from the server enters in one place, through the allow-list.
            assert ("innerHTML" in text) == (path.name == "dom.js"), path.name
